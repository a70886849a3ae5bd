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
  expect_error("rank M = 8000000000000000000 + 8000000000000000000\ninput A[M]\nZ = A[m]\n", "overflows");
}

}  // namespace
}  // namespace streamsim::einsum
