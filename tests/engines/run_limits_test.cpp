// The checks before a run (sim/engines/run_limits.h) and the engines' behaviour at the time
// horizon: a run that reaches the largest time is an error on both engines, and a run at the
// largest legal delays is exact (the same figures on both engines, no overflow).
#include "sim/engines/run_limits.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/core/time_limits.h"
#include "tests/support/asan_systemc.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using testing::CountingSink;
using testing::CountingSource;
using testing::PassStage;

// src -> mid -> sink with the given source II, and `latency` on mid and both channels (the
// channels' alone when `unit_latency` is false).
Graph chain(std::uint64_t tokens, Cycle source_ii, Cycle latency, bool unit_latency = true) {
  Graph g;
  g.add_custom_unit("src",
                    [=] { return std::make_unique<CountingSource>("src", tokens, source_ii, 1); });
  const Cycle mid_latency = unit_latency ? latency : 1;
  g.add_custom_unit("mid",
                    [=] { return std::make_unique<PassStage>("mid", 1, 1, 1, mid_latency); });
  g.add_custom_unit("sink", [] { return std::make_unique<CountingSink>("sink"); });
  ChannelTiming t;
  t.latency = latency;
  g.connect("src", "mid.in0", t);
  g.connect("mid.out0", "sink", t);
  return g;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RunLimits, TheHorizonIsMaxCyclesOrTheLargestTime) {
  RunOptions o;
  EXPECT_EQ(run_horizon(o), kMaxTime);
  o.max_cycles = 77;
  EXPECT_EQ(run_horizon(o), 77);
  o.max_cycles = kMaxTime + 1;
  EXPECT_NE(
      error_of([&] { run_horizon(o); }).find("max cycles 4611686018427387905 is out of range"),
      std::string::npos);
  o.max_cycles = -1;
  EXPECT_NE(error_of([&] { run_horizon(o); }), "");
}

TEST(RunLimits, ChannelDelaysAboveTheLargestDelayFailValidation) {
  Graph g = chain(4, 1, kMaxDelay + 1, /*unit_latency=*/false);
  const std::string e = error_of([&] { g.validate(); });
  EXPECT_NE(e.find("channel 'src.out->mid.in0': latency 1099511627777 is too large"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("1099511627776 (2^40)"), std::string::npos) << e;
}

TEST(RunLimits, UnitTimingAboveTheLargestDelayIsRefusedWhenTheUnitIsBuilt) {
  const std::string e = error_of([] { CountingSource("s", 1, kMaxDelay + 1, 1); });
  EXPECT_NE(e.find("unit 's' (type test_source): ii 1099511627777 is out of range"),
            std::string::npos)
      << e;
}

TEST(RunLimits, TheDelaySumAddsEveryUnitAndChannelAndNamesTheLargestWhenTooLarge) {
  Graph g = chain(4, 3, 5);
  std::vector<std::unique_ptr<Unit>> units;
  for (int u = 0; u < g.unit_count(); ++u) units.push_back(g.unit(u).make());
  // src 3 + 1, mid 1 + 5, sink 1 + 1, channels 2 x (5 + 1).
  EXPECT_EQ(delay_sum(g, units), 4 + 6 + 2 + 12);
  // 2^19 units at the largest delays (2^41 each) pass 2^60; delay_sum reads the unit objects,
  // so they need no graph of their own.
  units.clear();
  for (int i = 0; i <= 1 << 19; ++i)
    units.push_back(std::make_unique<PassStage>("u" + std::to_string(i), 1, 1, kMaxDelay, kMaxDelay));
  const std::string e = error_of([&] { delay_sum(Graph(), units); });
  EXPECT_NE(e.find("add up to more than 1152921504606846976 (2^60)"), std::string::npos) << e;
  EXPECT_NE(e.find("unit 'u0' (type test_stage) with 2199023255552 cycles"), std::string::npos) << e;
}

class Horizon : public ::testing::TestWithParam<std::string> {};

TEST_P(Horizon, ARunReachingTheLargestTimeIsAnErrorNamingTheUnit) {
  if (testing::kAsanWithSystemCStacks && GetParam() == "systemc")
    GTEST_SKIP() << testing::asan_systemc_skip_reason();
  // II 2^40: 2^22 firings reach 2^62.
  Graph g = chain(5000000, kMaxDelay, 1);
  const std::string e = error_of([&] { make_engine(GetParam())->run(g); });
  EXPECT_NE(e.find("unit 'src' reached cycle 4611686018427387904, at or past the largest simulated time"),
            std::string::npos)
      << e;
}

TEST_P(Horizon, MaxCyclesStillStopsARunAsAResult) {
  Graph g = chain(5000000, kMaxDelay, 1);
  RunOptions o;
  o.max_cycles = kMaxTime;
  EXPECT_EQ(make_engine(GetParam())->run(g, o).status, RunStatus::MaxCycles);
}

TEST_P(Horizon, TheLargestDelaysGiveExactTimes) {
  // src (II 2^40) -> mid (latency 2^40) -> sink over channels of latency 2^40, three tokens:
  // the third leaves src at 2D, is visible to mid at 3D and to the sink at 4D (its stamp
  // 3D + D and the channel's send + D agree), and the sink's last firing ends at 4D + 1; src's
  // clock ends at 3D.
  const Cycle D = kMaxDelay;
  Graph g = chain(3, D, D);
  const RunResult r = make_engine(GetParam())->run(g);
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 4 * D + 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Horizon, ::testing::Values("fast", "systemc"));

}  // namespace
}  // namespace streamsim
