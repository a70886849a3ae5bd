// The reference evaluator against plain-loop computations written independently here.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/evaluator.h"
#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

std::string cascade_path(const std::string& name) {
  return std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/" + name + ".cascade";
}

// softmax over m of sum_e Q[e,p]*K[e,m], times V[f,m] summed over m; row-major inputs.
std::vector<double> plain_attention(const std::vector<double>& q, const std::vector<double>& k,
                                    const std::vector<double>& v, int E, int F, int M, int P) {
  std::vector<double> out(static_cast<std::size_t>(F * P));
  for (int p = 0; p < P; ++p) {
    std::vector<double> s(static_cast<std::size_t>(M));
    double mx = -INFINITY;
    for (int m = 0; m < M; ++m) {
      double dot = 0;
      for (int e = 0; e < E; ++e) dot += q[e * P + p] * k[e * M + m];
      s[m] = dot;
      mx = std::max(mx, dot);
    }
    double den = 0;
    for (int m = 0; m < M; ++m) den += std::exp(s[m] - mx);
    for (int f = 0; f < F; ++f) {
      double acc = 0;
      for (int m = 0; m < M; ++m) acc += std::exp(s[m] - mx) / den * v[f * M + m];
      out[f * P + p] = acc;
    }
  }
  return out;
}

class AttentionCascade : public ::testing::TestWithParam<const char*> {};

TEST_P(AttentionCascade, MatchesPlainSoftmaxAttention) {
  for (std::int64_t M : {8, 12}) {
    Cascade c = parse_cascade_file(cascade_path(GetParam()), {{"M", M}});
    EvalOptions o;
    o.seed = 7 + static_cast<std::uint64_t>(M);
    o.low = -2;  // scores well away from zero so a wrong max or denominator shows
    o.high = 2;
    Evaluation r = evaluate(c, o);
    const int E = 4, F = 4, P = 3;
    auto expect = plain_attention(r["Q"].data, r["K"].data, r["V"].data, E, F, static_cast<int>(M), P);
    const TensorValues& av = r["AV"];
    ASSERT_EQ(av.extents, (std::vector<std::int64_t>{F, P}));
    for (std::size_t i = 0; i < expect.size(); ++i) EXPECT_NEAR(av.data[i], expect[i], 1e-12) << GetParam() << " i=" << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, AttentionCascade,
                         ::testing::Values("attention_3pass", "attention_2pass_nomax", "attention_deferred_div",
                                           "attention_nomax_deferred_div", "attention_1pass"));

TEST(EinsumEval, OnePassRunningValuesMatchPrefixSoftmax) {
  // RM[j] is the max of the first j chunks; RD[j] the denominator over them w.r.t. RM[j].
  Cascade c = parse_cascade_file(cascade_path("attention_1pass"));
  Evaluation r = evaluate(c);
  const auto& q = r["Q"].data;
  const auto& k = r["K"].data;
  const int E = 4, M = 8, M0 = 2, P = 3;
  for (int p = 0; p < P; ++p) {
    EXPECT_TRUE(std::isinf(r["RM"].at({0, p})) && r["RM"].at({0, p}) < 0);
    for (int j = 1; j <= M / M0; ++j) {
      double mx = -INFINITY;
      std::vector<double> s;
      for (int m = 0; m < j * M0; ++m) {
        double dot = 0;
        for (int e = 0; e < E; ++e) dot += q[e * P + p] * k[e * M + m];
        s.push_back(dot);
        mx = std::max(mx, dot);
      }
      double den = 0;
      for (double x : s) den += std::exp(x - mx);
      EXPECT_NEAR(r["RM"].at({j, p}), mx, 1e-12);
      EXPECT_NEAR(r["RD"].at({j, p}), den, 1e-12);
    }
  }
}

TEST(EinsumEval, ToyCascadesGiveTheSameZ) {
  EvalOptions o;
  o.inputs["A"] = {0.5, -1.25, 2, 0.75, -0.5, 1.5, 3, -2};
  o.inputs["B"] = {1, 2, -0.5, 0.25, 4, -1, 0.5, 1.5};
  double y = 0, sa = 0;
  for (int i = 0; i < 8; ++i) {
    y += o.inputs["A"][i] * o.inputs["B"][i];
    sa += o.inputs["A"][i];
  }
  for (const char* name : {"toy_c1", "toy_c2", "toy_c3"}) {
    Evaluation r = evaluate(parse_cascade_file(cascade_path(name)), o);
    EXPECT_NEAR(r["Z"].data.at(0), y * sa, 1e-12) << name;
  }
}

TEST(EinsumEval, SeededInputsAreReproducibleAndSeedSensitive) {
  Cascade c = parse_cascade_file(cascade_path("toy_c1"));
  EvalOptions a, b;
  b.seed = 2;
  EXPECT_EQ(evaluate(c, a)["A"].data, evaluate(c, a)["A"].data);
  EXPECT_NE(evaluate(c, a)["A"].data, evaluate(c, b)["A"].data);
}

TEST(EinsumEval, RankSplitAndNamedReductions) {
  Cascade c = parse_cascade(
      "rank N = 6\nrank N0 = 3\nrank N1 = 2\ninput X[N]\n"
      "B[n1,n0] = X[n1*N0+n0]\n"
      "L[n1] = B[n1,n0] :: reduce_n0 max\n"
      "S = L[n1] :: reduce_n1 min\n"
      "T = max(B[n1,n0], 0) * 2 - 1 / 2\n");
  EvalOptions o;
  o.inputs["X"] = {3, -1, 2, -4, 0.5, -3};
  Evaluation r = evaluate(c, o);
  EXPECT_EQ(r["B"].at({1, 0}), -4);
  EXPECT_EQ(r["L"].data, (std::vector<double>{3, 0.5}));
  EXPECT_EQ(r["S"].data.at(0), 0.5);
  // sum over 6 elements of (max(x,0)*2 - 0.5) = 2*(3+2+0.5) - 3.
  EXPECT_DOUBLE_EQ(r["T"].data.at(0), 8);
}

TEST(EinsumEval, WrongNumberOfGivenValuesIsAnError) {
  Cascade c = parse_cascade_file(cascade_path("toy_c1"));
  EvalOptions o;
  o.inputs["A"] = {1, 2};
  EXPECT_THROW(evaluate(c, o), Error);
  EvalOptions o2;
  o2.inputs["Y"] = std::vector<double>(8, 1.0);
  EXPECT_THROW(evaluate(c, o2), Error);
}

}  // namespace
}  // namespace einsum
}  // namespace streamsim
