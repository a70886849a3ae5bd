// Parsing and checking cascades: shapes, shipped files, and errors naming line and token.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/functions.h"
#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

// Parses `text` as file "t.cascade" and returns the error message ("" when it parses).
std::string error_of(const std::string& text) {
  try {
    parse_cascade(text, "t.cascade");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* kHead = "rank K = 4\nrank M = 3\ninput A[K]\ninput B[K, M]\n";

TEST(EinsumParse, EveryShippedCascadeParses) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades")) {
    if (entry.path().extension() != ".cascade") continue;
    ++count;
    EXPECT_NO_THROW(parse_cascade_file(entry.path().string())) << entry.path();
  }
  EXPECT_GE(count, 7);
}

TEST(EinsumParse, ShapesOfOnePassAttention) {
  Cascade c = parse_cascade_file(std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/attention_1pass.cascade",
                                 {{"M", 12}, {"M0", 3}});
  EXPECT_EQ(c.tensor("BK").extents, (std::vector<std::int64_t>{4, 4, 3}));
  EXPECT_EQ(c.tensor("RM").extents, (std::vector<std::int64_t>{5, 3}));  // M1 + 1 states
  EXPECT_EQ(c.tensor("RNV").extents, (std::vector<std::int64_t>{4, 5, 3}));
  EXPECT_TRUE(c.tensor("RM").iterative[0]);
  EXPECT_FALSE(c.tensor("LM").iterative[0]);
  EXPECT_EQ(c.tensor("AV").extents, (std::vector<std::int64_t>{4, 3}));
  EXPECT_EQ(c.tensor("RM").definitions.size(), 2u);
}

TEST(EinsumParse, StopConditionLimitsTheRecurrence) {
  Cascade c = parse_cascade("rank K = 6\ninput A[K]\nR[0] = 0\nR[k+1] = R[k] + A[k]\nstop when k >= 4\n");
  EXPECT_EQ(c.tensor("R").extents, (std::vector<std::int64_t>{5}));
}

TEST(EinsumParse, SizeOverrideOfUnknownRankIsAnError) {
  EXPECT_THROW(parse_cascade("rank K = 4\ninput A[K]\nY = A[k]\n", "t", {{"Q", 3}}), Error);
}

TEST(EinsumParse, UndefinedTensorNamesLineAndToken) {
  std::string m = error_of(std::string(kHead) + "Y = A[k] * C[k]\n");
  EXPECT_NE(m.find("t.cascade:5:12"), std::string::npos) << m;
  EXPECT_NE(m.find("undefined tensor 'C'"), std::string::npos) << m;
  m = error_of(std::string(kHead) + "Y = A[k] * AA[k]\n");
  EXPECT_NE(m.find("did you mean 'A'"), std::string::npos) << m;
}

TEST(EinsumParse, InconsistentRankSizes) {
  std::string m = error_of(std::string(kHead) + "Y[m] = B[m, m]\n");
  EXPECT_NE(m.find("t.cascade:5:10"), std::string::npos) << m;
  EXPECT_NE(m.find("inconsistent sizes"), std::string::npos) << m;
}

TEST(EinsumParse, LeftIndexTheRightCannotProduce) {
  std::string m = error_of(std::string(kHead) + "Y[m] = A[k]\n");
  EXPECT_NE(m.find("t.cascade:5:3"), std::string::npos) << m;
  EXPECT_NE(m.find("not produced by the right-hand side"), std::string::npos) << m;
}

TEST(EinsumParse, UnknownOperatorsAndFunctions) {
  std::string m = error_of(std::string(kHead) + "Y = A[k] :: reduce_k maxx\n");
  EXPECT_NE(m.find("t.cascade:5:22"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown reduction operator 'maxx'"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'max'"), std::string::npos) << m;
  m = error_of(std::string(kHead) + "Y[k] = expp(A[k])\n");
  EXPECT_NE(m.find("t.cascade:5:8"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown function 'expp'"), std::string::npos) << m;
  m = error_of(std::string(kHead) + "Y[k] = max(A[k])\n");
  EXPECT_NE(m.find("takes 2 argument"), std::string::npos) << m;
  m = error_of(std::string(kHead) + "Y[k] = A[k] :: reduce_k max\n");
  EXPECT_NE(m.find("not reduced"), std::string::npos) << m;
}

TEST(EinsumParse, RegisteredFunctionBecomesUsable) {
  EXPECT_NE(error_of(std::string(kHead) + "Y[k] = cube(A[k])\n"), "");
  FunctionRegistry::instance().add(FunctionDef{"cube", 1, [](const double* a) { return a[0] * a[0] * a[0]; }, "x^3"});
  EXPECT_EQ(error_of(std::string(kHead) + "Y[k] = cube(A[k])\n"), "");
}

TEST(EinsumParse, CyclicDefinitions) {
  std::string m = error_of(std::string(kHead) + "X[k] = Y[k] + A[k]\nY[k] = X[k] * 2\n");
  EXPECT_NE(m.find("cyclic definition"), std::string::npos) << m;
  EXPECT_NE(m.find("t.cascade:5:8"), std::string::npos) << m;
  m = error_of(std::string(kHead) + "X[0] = 0\nX[k+1] = X[k+1] + A[k]\n");
  EXPECT_NE(m.find("cyclic definition"), std::string::npos) << m;
  // Stepping back along an iterative rank through another tensor is not a cycle.
  EXPECT_EQ(error_of(std::string(kHead) + "R[0] = 0\nS[k] = R[k] * 2\nR[k+1] = S[k] + A[k]\n"), "");
}

TEST(EinsumParse, IterativeTensorNeedsInitialisation) {
  std::string m = error_of(std::string(kHead) + "R[k+1] = R[k] + A[k]\n");
  EXPECT_NE(m.find("t.cascade:5:1"), std::string::npos) << m;
  EXPECT_NE(m.find("initialisation"), std::string::npos) << m;
}

TEST(EinsumParse, OtherMistakesAreCaughtWithLocations) {
  EXPECT_NE(error_of(std::string(kHead) + "Y = A[q]\n").find("t.cascade:5:7: unknown index or size 'q'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "Y = A[k+1]\n").find("takes values 1..4"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "A[k] = B[k, m]\n").find("redefines input"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "Y[k] = A[k]\nY[k] = A[k]\n").find("already written"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "Y = A[k, m]\n").find("has 1 dimension"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "Y = A[k] $ 2\n").find("t.cascade:5:10: unexpected character '$'"),
            std::string::npos);
  EXPECT_NE(error_of("rank k = 4\n").find("upper-case"), std::string::npos);
  EXPECT_NE(error_of("input A[K]\n").find("undeclared rank 'K'"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "stop when k >= 9\n").find("between 1 and"), std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "Y = A[k]\nstop when k >= 2\n").find("t.cascade:6:1: stop condition for 'k'"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(kHead) + "Y[k*2] = A[k]\n").find("must be an index variable"), std::string::npos);
}

}  // namespace
}  // namespace einsum
}  // namespace streamsim
