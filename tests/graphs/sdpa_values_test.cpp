// Every SDPA variant computes softmax(Q K^T / sqrt(D)) V: its sink matches the
// double-precision reference built from the same seeded tensors.
#include <gtest/gtest.h>

#include <cmath>

#include "graphs/sdpa/reference.h"
#include "tests/graphs/sdpa_test_support.h"

namespace streamsim::sdpa {
namespace {

using testing::params;
using testing::run_sdpa;
using testing::sink_of;

struct Case {
  Variant variant;
  Width width;
  int n, d, heads;
};

class SdpaValues : public ::testing::TestWithParam<Case> {};

TEST_P(SdpaValues, MatchReference) {
  const Case c = GetParam();
  SdpaParams p = params(c.variant, c.n, c.d, c.width);
  p.heads = c.heads;
  p.seed = 17;
  p.score_scale = 4.0;
  RunResult r = run_sdpa(p);
  ASSERT_EQ(r.status, RunStatus::Finished) << r.deadlock.explain();
  const auto& sink = sink_of(r);
  ReferenceResult ref = reference_sdpa(c.n, c.d, c.heads, p.seed, p.score_scale);
  ASSERT_EQ(sink.values().size(), ref.out.size());
  EXPECT_LT(max_abs_error(sink.values(), ref.out), 1e-12);
  // The sink's own comparison (what `streamsim run` prints) agrees.
  EXPECT_EQ(sink.mismatches(), 0u);
  EXPECT_LT(sink.max_abs_error(), 1e-12);
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (Variant v : {Variant::Naive, Variant::NaiveStable, Variant::Reordered})
    for (Width w : {Width::Vector, Width::Scalar}) {
      out.push_back({v, w, 8, 4, 1});
      out.push_back({v, w, 16, 3, 2});
      out.push_back({v, w, 33, 8, 1});
      out.push_back({v, w, 5, 16, 1});  // D > N
    }
  return out;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  return std::string(variant_name(c.variant)) + "_" + width_name(c.width) + "_N" + std::to_string(c.n) + "_D" +
         std::to_string(c.d) + "_H" + std::to_string(c.heads);
}

INSTANTIATE_TEST_SUITE_P(AllVariants, SdpaValues, ::testing::ValuesIn(cases()), case_name);

// Scores far beyond ln(DBL_MAX) ~ 709.78: exp(s) overflows to +inf, so the naive variant's
// row sum is inf and inf/inf gives NaN; the stable variants only ever take exp of s - max <= 0.
TEST(SdpaOverflow, NaiveOverflowsStableVariantsDoNot) {
  const int n = 16, d = 8;
  const double scale = 3000.0;
  ReferenceResult ref = reference_sdpa(n, d, 1, 5, scale);
  ASSERT_GT(ref.max_score, 709.79);  // the test's premise: exp(max_score) is not a double
  for (Width w : {Width::Vector, Width::Scalar}) {
    for (Variant v : {Variant::Naive, Variant::NaiveStable, Variant::Reordered}) {
      SdpaParams p = params(v, n, d, w);
      p.seed = 5;
      p.score_scale = scale;
      RunResult r = run_sdpa(p);
      ASSERT_EQ(r.status, RunStatus::Finished);
      const auto& sink = sink_of(r);
      if (v == Variant::Naive) {
        std::size_t nan = 0;
        for (double x : sink.values()) nan += std::isnan(x) ? 1 : 0;
        EXPECT_GT(nan, 0u) << "naive " << width_name(w);
        EXPECT_GT(sink.mismatches(), 0u);
      } else {
        EXPECT_LT(max_abs_error(sink.values(), ref.out), 1e-12) << variant_name(v) << " " << width_name(w);
        EXPECT_EQ(sink.mismatches(), 0u);
      }
    }
  }
}

TEST(SdpaOverflow, ModerateScoresAreFineForNaive) {
  SdpaParams p = params(Variant::Naive, 16, 8);
  p.score_scale = 50.0;
  ASSERT_LT(reference_sdpa(16, 8, 1, p.seed, p.score_scale).max_score, 709.0);
  RunResult r = run_sdpa(p);
  EXPECT_EQ(sink_of(r).mismatches(), 0u);
}

}  // namespace
}  // namespace streamsim::sdpa
