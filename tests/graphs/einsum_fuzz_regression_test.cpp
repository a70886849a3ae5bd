// Inputs found by tests/fuzz/cascade_parser_fuzz.cpp: each must be rejected with a
// streamsim::Error, not undefined behaviour (these ran into UBSan before the fix).
#include <gtest/gtest.h>

#include "graphs/einsum/cascade.h"
#include "sim/core/error.h"

namespace streamsim::einsum {
namespace {

void expect_error(const std::string& text, const std::string& fragment) {
  try {
    parse_cascade(text, "fuzz.cascade");
    FAIL() << "accepted:\n" << text;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(EinsumFuzzRegression, ConstantBeyondInt64IsAnError) {
  expect_error("rank M = 33333333333333333333333\ninput A[M]\nZ = A[m]\n", "too large");
}

TEST(EinsumFuzzRegression, OverflowingSizeArithmeticIsAnError) {
  expect_error("rank M = 8000000000000000000 * 4\ninput A[M]\nZ = A[m]\n", "overflows");
  expect_error("rank M = 8000000000000000000 + 8000000000000000000\ninput A[M]\nZ = A[m]\n",
               "overflows");
}

TEST(EinsumFuzzRegression, BytesThatAreNotUtf8AreAnError) {
  expect_error("rank M = 4\ninput A\xff[M]\n", "byte 0xFF is not UTF-8 text");
}

// Found by a 10-minute fuzzing run: 400 nested parentheses overflowed the parser's stack.
TEST(EinsumFuzzRegression, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string open(400, '('), close(400, ')');
  expect_error("rank M = 4\ninput A[M]\nZ[m] = " + open + "A[m]" + close + "\n",
               "nested more than 200 levels");
  expect_error("rank M = 4\ninput A[M]\nZ[m] = A[" + open + "m" + close + "]\n",
               "nested more than 200 levels");
  std::string signs;
  for (int i = 0; i < 5000; ++i) signs += "- ";
  expect_error("rank M = 4\ninput A[M]\nZ[m] = " + signs + "A[m]\n", "nested more than 200 levels");
  // 150 levels are fine.
  const std::string open150(150, '('), close150(150, ')');
  EXPECT_NO_THROW(parse_cascade(
      "rank M = 4\ninput A[M]\nZ[m] = " + open150 + "A[m]" + close150 + "\n", "ok.cascade"));
}

}  // namespace
// A chain of operators builds a tree as deep as it is long without nesting the parser: a
// million terms crashed the recursive passes (SIGSEGV after 14 s and 1 GB) before the bound.
TEST(EinsumFuzzRegression, LongOperatorChainIsAnErrorNotAStackOverflow) {
  std::string chain = "A[m]";
  for (int i = 0; i < 100000; ++i) chain += " + A[m]";
  expect_error("rank M = 4\ninput A[M]\nZ[m] = " + chain + "\n", "more than 1000 operations deep");
  // 500 terms are fine (and nest no parser recursion).
  std::string fine = "A[m]";
  for (int i = 0; i < 500; ++i) fine += " * A[m]";
  EXPECT_NO_THROW(parse_cascade("rank M = 4\ninput A[M]\nZ[m] = " + fine + "\n", "ok.cascade"));
}

}  // namespace streamsim::einsum
