// The worked examples of the timing contract (docs/timing-model.md, design notes), run on
// every engine: each engine must reproduce them exactly.
#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "tests/support/asan_systemc.h"
#include "tests/support/test_graphs.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using testing::CollectingSink;
using testing::CountingSource;
using testing::GroupSum;
using testing::PassStage;
using testing::Repeat;

Graph pipeline(int stages, std::uint64_t tokens, Cycle depth, Cycle ii = 1, Cycle L = 1,
               Cycle R = 1) {
  Graph g;
  g.add_custom_unit("src", [=] { return std::make_unique<CountingSource>("src", tokens); });
  std::string prev = "src";
  for (int i = 0; i < stages; ++i) {
    std::string name = "s" + std::to_string(i);
    g.add_custom_unit(name, [=] { return std::make_unique<PassStage>(name, 1, 1, ii, 1); });
    g.connect(prev, name, ChannelTiming{depth, L, R});
    prev = name;
  }
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect(prev, "sink", ChannelTiming{depth, L, R});
  return g;
}

class EngineContract : public ::testing::TestWithParam<std::string> {
 protected:
  RunResult run(const Graph& g, const RunOptions& o = {}) {
    return make_engine(GetParam())->run(g, o);
  }
  // Cycles that 1200 more tokens take in steady state (1200: a multiple of every period here).
  Cycle cycles_per_1200(int stages, Cycle depth, Cycle ii = 1, Cycle L = 1, Cycle R = 1) {
    RunResult a = run(pipeline(stages, 1200, depth, ii, L, R));
    RunResult b = run(pipeline(stages, 2400, depth, ii, L, R));
    EXPECT_EQ(a.status, RunStatus::Finished);
    EXPECT_EQ(b.status, RunStatus::Finished);
    return b.cycles - a.cycles;
  }
};

TEST_P(EngineContract, OneTokenThroughOneUnitTakesThreeCycles) {
  RunResult r = run(pipeline(1, 1, 1));
  EXPECT_EQ(r.engine, GetParam());
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 3);
  EXPECT_EQ(r.unit_as<CollectingSink>("sink")->values, std::vector<double>{0});
}

TEST_P(EngineContract, EightStagesDepthTwoTakeTokensPlusNine) {
  for (std::uint64_t tokens : {1u, 2u, 10u, 1000u}) {
    RunResult r = run(pipeline(8, tokens, 2));
    EXPECT_EQ(r.cycles, static_cast<Cycle>(tokens) + 9) << tokens << " tokens";
    ASSERT_EQ(r.unit_as<CollectingSink>("sink")->values.size(), tokens);
    for (const auto& c : r.channels) {
      EXPECT_EQ(c.transfers, tokens);
      EXPECT_EQ(c.left_over, 0u);
    }
  }
}

TEST_P(EngineContract, DepthOneIsHalfRate) {
  EXPECT_EQ(cycles_per_1200(1, 1), 2400);
}

TEST_P(EngineContract, ShallowChannelSustainsCOverLPlusR) {
  // C < L + R: one token per (L+R)/C cycles.
  EXPECT_EQ(cycles_per_1200(3, 2, 1, 2, 1), 1800);  // C=2, L=2, R=1
  EXPECT_EQ(cycles_per_1200(3, 3, 1, 2, 4), 2400);  // C=3, L=2, R=4
  EXPECT_EQ(cycles_per_1200(3, 4, 1, 2, 1), 1200);  // C >= L+R: full rate
}

TEST_P(EngineContract, InitiationIntervalDividesThroughput) {
  EXPECT_EQ(cycles_per_1200(4, 2, 1), 1200);
  EXPECT_EQ(cycles_per_1200(4, 2, 2), 2400);
  EXPECT_EQ(cycles_per_1200(4, 2, 3), 3600);
}

TEST_P(EngineContract, BroadcastWithAFullSlowBranchStallsEveryBranch) {
  // src -> bcast -> fast_sink, and bcast -> slow (II 4) -> slow_sink: the fast branch can
  // run ahead only by its FIFO depth, then waits for the slow one.
  auto build = [](std::uint64_t tokens) {
    Graph g;
    g.add_custom_unit("src", [=] { return std::make_unique<CountingSource>("src", tokens); });
    g.add_custom_unit("bcast", [] { return std::make_unique<PassStage>("bcast", 1, 2); });
    g.add_custom_unit("slow", [] { return std::make_unique<PassStage>("slow", 1, 1, 4, 1); });
    g.add_custom_unit("fast_sink", [] { return std::make_unique<CollectingSink>("fast_sink"); });
    g.add_custom_unit("slow_sink", [] { return std::make_unique<CollectingSink>("slow_sink"); });
    g.connect("src", "bcast");
    g.connect("bcast.out0", "fast_sink");
    g.connect("bcast.out1", "slow");
    g.connect("slow", "slow_sink");
    return g;
  };
  RunResult a = run(build(100)), b = run(build(200));
  auto clock_of = [](const RunResult& r, const std::string& unit) {
    for (const auto& u : r.units)
      if (u.name == unit) return u.final_clock;
    return Cycle{-1};
  };
  EXPECT_EQ(clock_of(b, "fast_sink") - clock_of(a, "fast_sink"), 400);
  EXPECT_EQ(clock_of(b, "bcast") - clock_of(a, "bcast"), 400);
  EXPECT_EQ(b.unit_as<CollectingSink>("fast_sink")->values.size(), 200u);
  EXPECT_EQ(b.unit_as<CollectingSink>("slow_sink")->values.size(), 200u);
  EXPECT_EQ(b.channels[0].peak_occupancy, 2u);  // src -> bcast stays full
}

TEST_P(EngineContract, EndOfStreamEndsTheRunWithLeftOvers) {
  // A two-input stage fed by sources of 5 and 8 tokens fires 5 times; the longer source is
  // left blocked on a full channel whose consumer has finished.
  Graph g;
  g.add_custom_unit("a", [] { return std::make_unique<CountingSource>("a", 8); });
  g.add_custom_unit("b", [] { return std::make_unique<CountingSource>("b", 5); });
  g.add_custom_unit("zip", [] { return std::make_unique<PassStage>("zip", 2, 1); });
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect("a", "zip.in0");
  g.connect("b", "zip.in1");
  g.connect("zip", "sink");
  RunResult r = run(g);
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.unit_as<CollectingSink>("sink")->values, (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(r.channels[0].transfers + r.channels[0].left_over, r.units[0].firings);
  EXPECT_GT(r.channels[0].left_over, 0u);
}

TEST_P(EngineContract, MaxCyclesStopsFiringsAtTheLimit) {
  RunOptions o;
  o.max_cycles = 50;
  RunResult r = run(pipeline(2, 1000, 2), o);
  EXPECT_EQ(r.status, RunStatus::MaxCycles);
  EXPECT_EQ(r.units[0].final_clock, 50);  // the source fires at 0..49
  EXPECT_EQ(r.units[0].firings, 50u);
  EXPECT_LT(r.unit_as<CollectingSink>("sink")->values.size(), 50u);
  // A limit past the end changes nothing.
  o.max_cycles = 2000;
  RunResult full = run(pipeline(2, 1000, 2), o);
  EXPECT_EQ(full.status, RunStatus::Finished);
  EXPECT_EQ(full.cycles, 1000 + 3);
}

using testing::fork_join_deadlock;  // tests/support/test_graphs.h

TEST_P(EngineContract, ForkJoinWithShallowBranchDeadlocks) {
  RunResult r = run(fork_join_deadlock());
  ASSERT_EQ(r.status, RunStatus::Deadlock);
  const Deadlock& d = r.deadlock;
  EXPECT_EQ(d.cycle, r.cycles);
  EXPECT_EQ(d.blocked.size(), 6u) << d.explain();  // every unit
  auto find = [&](const std::string& unit) -> const BlockedUnit* {
    for (const auto& b : d.blocked)
      if (b.unit == unit) return &b;
    return nullptr;
  };
  ASSERT_NE(find("fork"), nullptr);
  EXPECT_EQ(find("fork")->channel, "direct");
  EXPECT_FALSE(find("fork")->waits_for_data);
  EXPECT_EQ(find("fork")->occupancy, 2u);
  ASSERT_NE(find("sum4"), nullptr);
  EXPECT_TRUE(find("sum4")->waits_for_data);
  EXPECT_EQ(find("sum4")->state, "group sum: 3 of 4 inputs folded");
  ASSERT_NE(find("join"), nullptr);
  EXPECT_TRUE(find("join")->waits_for_data);
  EXPECT_EQ(find("join")->channel, "rep4.out->join.in1");
  EXPECT_EQ(d.wait_cycle, (std::vector<std::string>{"fork", "join", "rep4", "sum4", "fork"}));
  const std::string text = d.explain();
  EXPECT_NE(text.find("unit 'fork' waits on channel 'direct', which is full (2 of depth 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("wait-for cycle: fork -> join -> rep4 -> sum4 -> fork"), std::string::npos)
      << text;
  // Deepening the direct FIFO removes the deadlock.
  Graph fixed = fork_join_deadlock();
  fixed.channel(1).timing.depth = 4;
  EXPECT_EQ(run(fixed).status, RunStatus::Finished);
}

// Where the cycles go, derived by hand for src -> s0 (II 4) -> sink, depth 2, L = R = 1, 10
// tokens. s0 dequeues element k at 1 + 4k, so its slot's credit returns at 2 + 4k; the source
// sends element j >= 3 at 4j - 6 instead of at its clock 4j - 9: 3 cycles of back-pressure
// each for elements 3..9. s0 waits 1 cycle for the first element and then never; the sink
// waits for s0's outputs (visible at 2 + 4k).
TEST_P(EngineContract, CyclesSplitIntoBusyStallsAndIdle) {
  RunResult r = run(pipeline(1, 10, 2, 4));
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 41);
  struct Split {
    Cycle busy, in, out, idle;
  };
  const Split expected[] = {{10, 0, 21, 10}, {40, 1, 0, 0}, {10, 29, 0, 2}};
  for (int u = 0; u < 3; ++u) {
    SCOPED_TRACE(r.units[u].name);
    EXPECT_EQ(r.units[u].busy_cycles, expected[u].busy);
    EXPECT_EQ(r.units[u].stalled_input_cycles, expected[u].in);
    EXPECT_EQ(r.units[u].stalled_output_cycles, expected[u].out);
    EXPECT_EQ(r.units[u].idle_cycles, expected[u].idle);
  }
  EXPECT_EQ(r.channels[0].producer_stall_cycles, 21);  // the FIFO to grow
  EXPECT_EQ(r.channels[0].consumer_stall_cycles, 1);
  EXPECT_EQ(r.channels[1].producer_stall_cycles, 0);
  EXPECT_EQ(r.channels[1].consumer_stall_cycles, 29);
}

// In a deadlock the blocked units wait on their channels for the rest of the run: nothing is
// idle, and the split still adds up to the run's length.
TEST_P(EngineContract, DeadlockedUnitsCountTheRestAsStalled) {
  RunResult r = run(fork_join_deadlock());
  ASSERT_EQ(r.status, RunStatus::Deadlock);
  for (const UnitStats& u : r.units) {
    SCOPED_TRACE(u.name);
    EXPECT_EQ(u.busy_cycles + u.stalled_input_cycles + u.stalled_output_cycles + u.idle_cycles,
              r.cycles);
    EXPECT_EQ(u.idle_cycles, 0);
  }
  const UnitStats& fork = r.units[1];
  EXPECT_EQ(fork.name, "fork");
  EXPECT_EQ(r.channels[1].name, "direct");
  EXPECT_GE(r.channels[1].producer_stall_cycles, r.cycles - fork.final_clock);
  EXPECT_GT(fork.stalled_output_cycles, 0);
}

TEST_P(EngineContract, ManyRunsInOneProcess) {
  // Alternate deadlocking and finishing runs: each run starts from a clean state.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(run(fork_join_deadlock()).status, RunStatus::Deadlock);
    EXPECT_EQ(run(pipeline(1, 1, 1)).cycles, 3);
  }
}

// A unit that fails on its third firing (as a unit with a bad input would).
class FailingStage : public Unit {
 public:
  explicit FailingStage(const std::string& name) : Unit(name, "test_failing") {
    add_input("in");
    add_output("out");
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override {
    if (++firings_ == 3) throw Error("unit '" + name() + "' failed on purpose");
    io.out[0][0] = io.in[0][0];
  }

 private:
  int firings_ = 0;
};

TEST_P(EngineContract, AUnitErrorEndsTheRunAndTheEngineStaysUsable) {
  if (testing::kAsanWithSystemCStacks && GetParam() == "systemc")
    GTEST_SKIP() << testing::asan_systemc_skip_reason();
  Graph g;
  g.add_custom_unit("src", [] { return std::make_unique<CountingSource>("src", 100); });
  g.add_custom_unit("bad", [] { return std::make_unique<FailingStage>("bad"); });
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect("src", "bad");
  g.connect("bad", "sink");
  for (int i = 0; i < 3; ++i) {
    try {
      run(g);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "unit 'bad' failed on purpose");
    }
    EXPECT_EQ(run(pipeline(1, 1, 1)).cycles, 3);
  }
}

INSTANTIATE_TEST_SUITE_P(BothEngines, EngineContract, ::testing::Values("fast", "systemc"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace streamsim
