// Scale benchmark (disabled: it measures, it does not assert wall time). Run with
//   ./build/streamsim_tests --gtest_also_run_disabled_tests --gtest_filter='SdpaScale*'
// SDPA_N / SDPA_D / SDPA_VARIANT / SDPA_DEPTH (short FIFO depth, 0 = derived) override the
// point (default reordered N=16384, D=64).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

#include "tests/graphs/sdpa_test_support.h"

namespace streamsim::sdpa {
namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

TEST(SdpaScale, DISABLED_ReorderedLargeN) {
  SdpaParams p;
  p.variant = parse_variant(std::getenv("SDPA_VARIANT") ? std::getenv("SDPA_VARIANT") : "reordered");
  p.N = env_int("SDPA_N", 16384);
  p.D = env_int("SDPA_D", 64);
  p.width = Width::Vector;
  p.check = false;  // the O(N^2 D) reference is not what is measured here
  p.keep = 16;
  p.short_depth = env_int("SDPA_DEPTH", 0);
  RunResult r = testing::run_sdpa(p);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  EXPECT_EQ(r.status, RunStatus::Finished);
  std::printf("sdpa %s N=%d D=%d vector: cycles %lld, wall %.2f s, %.1f M transfers/s, peak RSS %.1f MB, "
              "total peak occupancy %llu\n",
              variant_name(p.variant), p.N, p.D, static_cast<long long>(r.cycles), r.wall_seconds,
              static_cast<double>(r.transfers) / r.wall_seconds / 1e6, ru.ru_maxrss / 1024.0,
              static_cast<unsigned long long>(testing::total_peak(r)));
}

}  // namespace
}  // namespace streamsim::sdpa
