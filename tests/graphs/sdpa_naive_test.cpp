// The naive variants need O(N) buffering: the long FIFO must hold a whole row of
// exponentials while the row's sum is computed. Thresholds derived in docs/sdpa.md.
#include <gtest/gtest.h>

#include "tests/graphs/sdpa_test_support.h"

namespace streamsim::sdpa {
namespace {

using testing::channel;
using testing::params;
using testing::run_sdpa;
using testing::sink_of;

SdpaParams naive(int n, Cycle long_depth, Width w = Width::Vector, int d = 4,
                 Variant v = Variant::Naive) {
  SdpaParams p = params(v, n, d, w);
  p.long_depth = long_depth;
  p.check = false;
  return p;
}

const BlockedUnit* blocked(const Deadlock& d, const std::string& unit) {
  for (const auto& b : d.blocked)
    if (b.unit == unit) return &b;
  return nullptr;
}

// Reference cycle count: the same graph with a long FIFO far deeper than any row.
Cycle unbounded_cycles(SdpaParams p) {
  p.long_depth = 1 << 20;
  return run_sdpa(p).cycles;
}

TEST(SdpaNaive, ShallowLongFifoDeadlocksAndDiagnosisNamesIt) {
  RunResult r = run_sdpa(naive(32, 30));
  ASSERT_EQ(r.status, RunStatus::Deadlock);
  const BlockedUnit* bcast = blocked(r.deadlock, "sum_bcast");
  ASSERT_NE(bcast, nullptr);
  EXPECT_EQ(bcast->channel, "long");
  EXPECT_FALSE(bcast->waits_for_data);  // the long FIFO is full
  EXPECT_EQ(bcast->occupancy, 30u);
  const BlockedUnit* sum = blocked(r.deadlock, "row_sum");
  ASSERT_NE(sum, nullptr);
  EXPECT_TRUE(sum->waits_for_data);  // the reduce is starved
  EXPECT_EQ(sum->state, "reduce: 31 of 32 folded in group 0");
  const std::string text = r.deadlock.explain();
  EXPECT_NE(text.find("'long', which is full"), std::string::npos) << text;
}

// As in DAM, the divider dequeues its exponential before it blocks on the row sum, so one
// element of a row waits outside the long FIFO: N - 1 slots suffice to finish.
TEST(SdpaNaive, DeadlockThresholdIsExactlyNMinusOne) {
  for (Variant v : {Variant::Naive, Variant::NaiveStable})
    for (Width w : {Width::Vector, Width::Scalar})
      for (int n : {4, 9, 16, 40}) {
        SCOPED_TRACE(std::string(variant_name(v)) + " " + width_name(w) + " N=" + std::to_string(n));
        EXPECT_EQ(run_sdpa(naive(n, n - 2, w, 4, v)).status, RunStatus::Deadlock);
        EXPECT_EQ(run_sdpa(naive(n, n - 1, w, 4, v)).status, RunStatus::Finished);
      }
}

// The smallest depth at which the run is as fast as with an unbounded long FIFO, found by
// search, equals the derived naive_long_depth_min: N + 3 at vector width (bcast, reduce and
// repeat latencies 1, R = 1), N at scalar width with D >= 4 (a score only every D cycles).
TEST(SdpaNaive, FullThroughputThresholdMatchesFormula) {
  struct Case {
    Variant v;
    Width w;
    int n, d;
    Cycle want;
  };
  const Case cases[] = {
      {Variant::Naive, Width::Vector, 8, 4, 11},   {Variant::Naive, Width::Vector, 16, 4, 19},
      {Variant::Naive, Width::Vector, 37, 8, 40},  {Variant::Naive, Width::Scalar, 8, 4, 8},
      {Variant::Naive, Width::Scalar, 16, 8, 16},  {Variant::NaiveStable, Width::Vector, 16, 4, 19},
      {Variant::NaiveStable, Width::Scalar, 16, 4, 16},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(variant_name(c.v)) + " " + width_name(c.w) + " N=" + std::to_string(c.n));
    SdpaParams p = naive(c.n, 0, c.w, c.d, c.v);
    const Cycle full = unbounded_cycles(p);
    Cycle found = 0;
    for (Cycle depth = c.n; depth <= c.n + 10 && !found; ++depth) {
      p.long_depth = depth;
      RunResult r = run_sdpa(p);
      if (r.status == RunStatus::Finished && r.cycles == full) found = depth;
    }
    EXPECT_EQ(found, c.want);
    p.long_depth = 0;
    EXPECT_EQ(naive_long_depth_min(p), c.want);
    EXPECT_EQ(run_sdpa(p).cycles, full);  // the default depth is the derived one
  }
}

TEST(SdpaNaive, ThresholdGrowsWithTheSumPathLatency) {
  SdpaParams p = naive(16, 0);
  p.timing["row_sum"] = {1, 4};
  p.timing["sum_repeat"] = {1, 2};
  EXPECT_EQ(naive_long_depth_min(p), 16 - 1 + (1 + 4 + 2) + 1);
  const Cycle full = unbounded_cycles(p);
  p.long_depth = naive_long_depth_min(p);
  EXPECT_EQ(run_sdpa(p).cycles, full);
  p.long_depth -= 1;
  RunResult slower = run_sdpa(p);
  EXPECT_EQ(slower.status, RunStatus::Finished);
  EXPECT_GT(slower.cycles, full);
}

TEST(SdpaNaive, LongFifoPeakGrowsWithN) {
  for (int n : {16, 64}) {
    RunResult r = run_sdpa(naive(n, 0));
    const ChannelStats* c = channel(r, "long");
    ASSERT_NE(c, nullptr);
    // Depth N + 3, peak N + 2: the last slot is the credit still on its way back (R = 1).
    EXPECT_EQ(c->depth, n + 3);
    EXPECT_EQ(c->peak_occupancy, static_cast<std::uint64_t>(n + 2));
  }
}

}  // namespace
}  // namespace streamsim::sdpa
