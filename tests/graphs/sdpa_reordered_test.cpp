// The reordered variant runs at full throughput with every FIFO at a small constant depth,
// and its cycle count has the closed form derived in docs/sdpa.md.
#include <gtest/gtest.h>

#include "tests/graphs/sdpa_test_support.h"

namespace streamsim::sdpa {
namespace {

using testing::params;
using testing::run_sdpa;
using testing::total_peak;

Cycle ceil_log2(int d) {
  Cycle k = 0;
  while ((1 << k) < d) ++k;
  return k;
}

SdpaParams cfg(Variant v, int n, int d, Width w, int heads = 1) {
  SdpaParams p = params(v, n, d, w);
  p.heads = heads;
  p.check = false;
  return p;
}

// Vector width: one score per cycle; the run is H*N^2 plus the latency of the path
// q -> q_repeat -> dot -> scale -> scan -> scan_bcast -> numer -> norm (the sink's last
// dequeue cycle counts: +1, the source's first send: -1).
TEST(SdpaReordered, VectorCyclesAreHN2PlusPathLatency) {
  for (int heads : {1, 3})
    for (int d : {1, 4, 16})
      for (int n : {1, 2, 8, 31, 64}) {
        SCOPED_TRACE("H=" + std::to_string(heads) + " D=" + std::to_string(d) + " N=" + std::to_string(n));
        RunResult r = run_sdpa(cfg(Variant::Reordered, n, d, Width::Vector, heads));
        ASSERT_EQ(r.status, RunStatus::Finished);
        EXPECT_EQ(r.cycles, Cycle{heads} * n * n + 8 + ceil_log2(d));
      }
}

// Scalar width: the matmul emits one score every D cycles; the last row's D quotients
// leave the flatmap one per cycle.
TEST(SdpaReordered, ScalarCyclesAreHN2DPlusD) {
  for (int heads : {1, 2})
    for (int d : {1, 3, 8})
      for (int n : {1, 5, 16, 32}) {
        SCOPED_TRACE("H=" + std::to_string(heads) + " D=" + std::to_string(d) + " N=" + std::to_string(n));
        RunResult r = run_sdpa(cfg(Variant::Reordered, n, d, Width::Scalar, heads));
        ASSERT_EQ(r.status, RunStatus::Finished);
        EXPECT_EQ(r.cycles, Cycle{heads} * n * n * d + d + 7);
      }
}

// The naive variants at full throughput (long FIFO at its derived depth): the last row's
// divisions wait for its sum, adding N - 1 per normalisation pass.
TEST(SdpaReordered, NaiveCycleFormsForComparison) {
  for (int n : {4, 16, 50}) {
    EXPECT_EQ(run_sdpa(cfg(Variant::Naive, n, 4, Width::Vector)).cycles, Cycle{n} * n + n + 12);
    EXPECT_EQ(run_sdpa(cfg(Variant::NaiveStable, n, 4, Width::Vector)).cycles, Cycle{n} * n + 2 * n + 15);
  }
  EXPECT_EQ(run_sdpa(cfg(Variant::Naive, 8, 4, Width::Scalar)).cycles, 289);
  EXPECT_EQ(run_sdpa(cfg(Variant::Naive, 16, 4, Width::Scalar)).cycles, 1089);
}

TEST(SdpaReordered, NoSlowerThanNaive) {
  for (Width w : {Width::Vector, Width::Scalar})
    for (int n : {8, 32, 64}) {
      const Cycle reordered = run_sdpa(cfg(Variant::Reordered, n, 8, w)).cycles;
      EXPECT_LE(reordered, run_sdpa(cfg(Variant::Naive, n, 8, w)).cycles);
      EXPECT_LE(reordered, run_sdpa(cfg(Variant::NaiveStable, n, 8, w)).cycles);
    }
}

// One constant depth for every FIFO (8 >= the dot's latency + 1 for D <= 64): the same
// cycle count as the per-FIFO derived depths, at every N, and a total peak occupancy that
// does not depend on N (from N = 32 up; tiny N never fill some FIFOs).
TEST(SdpaReordered, ConstantDepthEverywhereAndBufferIndependentOfN) {
  for (Width w : {Width::Vector, Width::Scalar}) {
    std::uint64_t first_peak = 0;
    for (int n : {32, 64, 128, 256}) {
      SCOPED_TRACE(std::string(width_name(w)) + " N=" + std::to_string(n));
      SdpaParams p = cfg(Variant::Reordered, n, 16, w);
      const Cycle derived = run_sdpa(p).cycles;
      p.short_depth = 8;
      RunResult r = run_sdpa(p);
      ASSERT_EQ(r.status, RunStatus::Finished);
      EXPECT_EQ(r.cycles, derived);
      for (const auto& c : r.channels) EXPECT_EQ(c.depth, 8);
      if (!first_peak) first_peak = total_peak(r);
      EXPECT_EQ(total_peak(r), first_peak);
    }
  }
}

TEST(SdpaReordered, NaiveBufferGrowsWithN) {
  const std::uint64_t small = total_peak(run_sdpa(cfg(Variant::Naive, 16, 4, Width::Vector)));
  const std::uint64_t large = total_peak(run_sdpa(cfg(Variant::Naive, 64, 4, Width::Vector)));
  EXPECT_EQ(large - small, 48u);  // exactly the long FIFO's extra N
}

}  // namespace
}  // namespace streamsim::sdpa
