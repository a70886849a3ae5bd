// The run monitor (progress and Ctrl-C): polling it must not change a run, and a monitor that
// asks to stop ends the run early with status Interrupted, on both engines; the engine stays
// usable afterwards.
#include <gtest/gtest.h>

#include "sim/engines/engine.h"
#include "tests/support/test_graphs.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using testing::CollectingSink;
using testing::CountingSource;
using testing::GroupSum;
using testing::PassStage;
using testing::Repeat;

Graph chain(std::uint64_t tokens, Cycle depth = 2) {
  Graph g;
  g.add_custom_unit("src", [=] { return std::make_unique<CountingSource>("src", tokens); });
  g.add_custom_unit("a", [] { return std::make_unique<PassStage>("a"); });
  g.add_custom_unit("b", [] { return std::make_unique<PassStage>("b", 1, 1, 3, 2); });  // II 3
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect("src", "a", ChannelTiming{depth, 1, 1});
  g.connect("a", "b", ChannelTiming{depth, 2, 1});
  g.connect("b", "sink", ChannelTiming{depth, 1, 1});
  return g;
}

// The fork-join of the engine contract tests that deadlocks (tests/support/test_graphs.h).
Graph deadlocking() {
  return testing::fork_join_deadlock();
}

// Counts polls, checks that progress only grows, and stops after `stop_after` polls if > 0.
class CountingMonitor : public RunMonitor {
 public:
  explicit CountingMonitor(int stop_after = 0) : stop_after_(stop_after) {}
  bool poll(const RunProgress& p) override {
    EXPECT_GE(p.cycle, last_.cycle);
    EXPECT_GE(p.transfers, last_.transfers);
    EXPECT_LE(p.work_done, p.work_total);
    last_ = p;
    ++polls;
    return stop_after_ == 0 || polls < stop_after_;
  }
  int polls = 0;
  RunProgress last_;

 private:
  int stop_after_;
};

class RunMonitorTest : public ::testing::TestWithParam<std::string> {
 protected:
  RunResult run(const Graph& g, RunMonitor* m) {
    RunOptions o;
    o.monitor = m;
    return make_engine(GetParam())->run(g, o);
  }
};

TEST_P(RunMonitorTest, PollingChangesNothing) {
  const Graph g = chain(2000000);
  const RunResult plain = run(g, nullptr);
  CountingMonitor m;
  const RunResult watched = run(g, &m);
  EXPECT_GT(m.polls, 0);
  EXPECT_EQ(m.last_.work_total,
            0u);  // the test source does not tell its total (library sources do)
  EXPECT_EQ(watched.status, RunStatus::Finished);
  EXPECT_EQ(watched.cycles, plain.cycles);
  for (std::size_t u = 0; u < plain.units.size(); ++u) {
    EXPECT_EQ(watched.units[u].final_clock, plain.units[u].final_clock);
    EXPECT_EQ(watched.units[u].stalled_output_cycles, plain.units[u].stalled_output_cycles);
  }
  EXPECT_EQ(watched.unit_as<CollectingSink>("sink")->values.size(), 2000000u);
}

TEST_P(RunMonitorTest, ADeadlockIsStillFoundWithAMonitor) {
  CountingMonitor m;
  EXPECT_EQ(run(deadlocking(), &m).status, RunStatus::Deadlock);
}

TEST_P(RunMonitorTest, AStopRequestEndsTheRunEarlyAndTheEngineStaysUsable) {
  const Graph g = chain(50000000);
  CountingMonitor m(3);
  const RunResult r = run(g, &m);
  EXPECT_EQ(r.status, RunStatus::Interrupted);
  EXPECT_EQ(m.polls, 3);
  EXPECT_GT(r.cycles, 0);
  EXPECT_LT(r.unit_as<CollectingSink>("sink")->values.size(), 50000000u);
  // The split still adds up for what was simulated.
  for (const UnitStats& u : r.units)
    EXPECT_EQ(u.busy_cycles + u.stalled_input_cycles + u.stalled_output_cycles + u.idle_cycles,
              r.cycles)
        << u.name;
  // The next run in the same process is a normal one.
  const RunResult next = run(chain(1000), nullptr);
  EXPECT_EQ(next.status, RunStatus::Finished);
  EXPECT_EQ(next.unit_as<CollectingSink>("sink")->values.size(), 1000u);
  EXPECT_EQ(next.cycles, run(chain(1000), nullptr).cycles);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, RunMonitorTest, ::testing::Values("fast", "systemc"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace streamsim
