#include "sim/config/expression.h"

#include <gtest/gtest.h>

#include <cmath>

namespace streamsim {
namespace {

ExprValue eval(const std::string& e, const ExprScope& scope = {}) { return evaluate_expression(e, scope); }
std::int64_t ival(const std::string& e, const ExprScope& scope = {}) {
  ExprValue v = eval(e, scope);
  EXPECT_EQ(v.kind, ExprValue::Kind::Int) << e << " = " << v.text();
  return v.i;
}
double dval(const std::string& e, const ExprScope& scope = {}) {
  ExprValue v = eval(e, scope);
  EXPECT_EQ(v.kind, ExprValue::Kind::Double) << e << " = " << v.text();
  return v.d;
}
std::string error_of(const std::string& e, const ExprScope& scope = {}) {
  try {
    eval(e, scope);
  } catch (const ExprError& err) {
    return err.what();
  }
  return "";
}

TEST(Expression, IntegerArithmeticAndPrecedence) {
  EXPECT_EQ(ival("1 + 2 * 3"), 7);
  EXPECT_EQ(ival("(1 + 2) * 3"), 9);
  EXPECT_EQ(ival("10 - 4 - 3"), 3);
  EXPECT_EQ(ival("-3 + 5"), 2);
  EXPECT_EQ(ival("2 ** 10"), 1024);
  EXPECT_EQ(ival("2 ** 3 ** 2"), 512);  // right-associative
  EXPECT_EQ(ival("-2 ** 2"), -4);       // ** binds tighter than unary minus
  EXPECT_EQ(ival("1_000_000"), 1000000);
}

TEST(Expression, DivisionStaysIntegerOnlyWhenExact) {
  EXPECT_EQ(ival("64 / 4"), 16);
  EXPECT_DOUBLE_EQ(dval("7 / 2"), 3.5);
  EXPECT_EQ(ival("7 // 2"), 3);
  EXPECT_EQ(ival("-7 // 2"), -4);
  EXPECT_EQ(ival("7 % 3"), 1);
  EXPECT_EQ(ival("-7 % 3"), 2);  // sign of the divisor
  EXPECT_DOUBLE_EQ(dval("7.5 % 2"), 1.5);
}

TEST(Expression, FloatsAndFunctions) {
  EXPECT_DOUBLE_EQ(dval("1.5 * 2"), 3.0);
  EXPECT_DOUBLE_EQ(dval("1e3 + .5"), 1000.5);
  EXPECT_EQ(ival("min(4, 2, 8)"), 2);
  EXPECT_EQ(ival("max(4, 2, 8)"), 8);
  EXPECT_EQ(ival("log2(1024)"), 10);
  EXPECT_DOUBLE_EQ(dval("log2(3)"), std::log2(3.0));
  EXPECT_EQ(ival("ceil(7 / 2)"), 4);
  EXPECT_EQ(ival("floor(7 / 2)"), 3);
  EXPECT_EQ(ival("pow(3, 4)"), 81);
  EXPECT_DOUBLE_EQ(dval("pow(2, -1)"), 0.5);
  EXPECT_DOUBLE_EQ(dval("2 ** 0.5"), std::sqrt(2.0));
  EXPECT_EQ(ival("abs(-5)"), 5);
  EXPECT_EQ(ival("round(2.5)"), 3);
}

TEST(Expression, Names) {
  ExprScope scope{{"seq_len", ExprValue::of_int(64)}, {"alpha", ExprValue::of_double(0.5)}};
  EXPECT_EQ(ival("seq_len * 4", scope), 256);
  EXPECT_DOUBLE_EQ(dval("seq_len * alpha", scope), 32.0);
  EXPECT_EQ(ival("ceil(log2(seq_len)) + 1", scope), 7);
}

TEST(Expression, Errors) {
  ExprScope scope{{"seq_len", ExprValue::of_int(64)}, {"op", ExprValue::of_string("square")}};
  EXPECT_NE(error_of("seqlen * 2", scope).find("unknown parameter 'seqlen'; did you mean 'seq_len'?"),
            std::string::npos);
  EXPECT_NE(error_of("1 / 0").find("division by zero"), std::string::npos);
  EXPECT_NE(error_of("7 % 0").find("division by zero"), std::string::npos);
  EXPECT_NE(error_of("(1 + 2").find("missing ')'"), std::string::npos);
  EXPECT_NE(error_of("1 +").find("expression ends"), std::string::npos);
  EXPECT_NE(error_of("1 2").find("unexpected '2'"), std::string::npos);
  EXPECT_NE(error_of("").find("empty expression"), std::string::npos);
  EXPECT_NE(error_of("minn(1, 2)").find("unknown function 'minn'; did you mean 'min'?"), std::string::npos);
  EXPECT_NE(error_of("log2(0)").find("log2"), std::string::npos);
  EXPECT_NE(error_of("op * 2", scope).find("cannot use the string 'square'"), std::string::npos);
  EXPECT_NE(error_of("9223372036854775807 + 1").find("integer overflow"), std::string::npos);
  EXPECT_NE(error_of("2 ** 64").find("integer overflow"), std::string::npos);
  EXPECT_NE(error_of("pow(2)").find("pow takes 2 arguments"), std::string::npos);
  try {
    eval("1 + $", scope);
    FAIL();
  } catch (const ExprError& e) {
    EXPECT_EQ(e.offset(), 4u);
  }
}

TEST(Substitution, WholeScalarBecomesTheValue) {
  ExprScope scope{{"n", ExprValue::of_int(8)}, {"op", ExprValue::of_string("square")}};
  Substitution s = substitute_expressions("${n * 4}", scope);
  EXPECT_TRUE(s.whole);
  EXPECT_EQ(s.value, ExprValue::of_int(32));
  EXPECT_EQ(s.text, "32");
  s = substitute_expressions("  ${op} ", scope);
  EXPECT_TRUE(s.whole);
  EXPECT_EQ(s.value, ExprValue::of_string("square"));
}

TEST(Substitution, EmbeddedExpressionsAreTextAndEscapesWork) {
  ExprScope scope{{"n", ExprValue::of_int(8)}, {"x", ExprValue::of_double(0.25)}};
  Substitution s = substitute_expressions("stage_${n - 1}_of_${n}", scope);
  EXPECT_FALSE(s.whole);
  EXPECT_EQ(s.text, "stage_7_of_8");
  EXPECT_EQ(substitute_expressions("x=${x}", scope).text, "x=0.25");
  EXPECT_EQ(substitute_expressions("cost $${n}", scope).text, "cost ${n}");
  EXPECT_EQ(substitute_expressions("plain", scope).text, "plain");
  EXPECT_FALSE(substitute_expressions("plain", scope).whole);
  EXPECT_FALSE(substitute_expressions("${n}${n}", scope).whole);
  EXPECT_THROW(substitute_expressions("${n", scope), ExprError);
  try {
    substitute_expressions("ab ${nn}", scope);
    FAIL();
  } catch (const ExprError& e) {
    EXPECT_EQ(e.offset(), 5u);  // points at 'nn' inside the scalar
    EXPECT_NE(std::string(e.what()).find("in '${nn}'"), std::string::npos);
  }
}

TEST(ExprValueText, DoublesRoundTripAndIntegralDoublesLookIntegral) {
  EXPECT_EQ(ExprValue::of_double(0.1).text(), "0.1");
  EXPECT_EQ(ExprValue::of_double(32.0).text(), "32");
  double third = 1.0 / 3.0;
  EXPECT_EQ(std::stod(ExprValue::of_double(third).text()), third);
  ExprValue v;
  ASSERT_TRUE(parse_number("64", v));
  EXPECT_EQ(v, ExprValue::of_int(64));
  ASSERT_TRUE(parse_number("-1.5e3", v));
  EXPECT_EQ(v, ExprValue::of_double(-1500));
  EXPECT_FALSE(parse_number("0x10", v));
  EXPECT_FALSE(parse_number("inf", v));
  EXPECT_FALSE(parse_number("ramp", v));
  EXPECT_FALSE(parse_number("", v));
}

// 10,000 nested parentheses or 100,000 signs overflowed the evaluator's stack (SIGSEGV, no
// message). Every recursion passes one guard: an error at the level past the limit.
TEST(Expression, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string open(10000, '('), close(10000, ')');
  EXPECT_NE(error_of(open + "1" + close).find("nested more than 200 levels deep"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(100000, '-') + "1").find("nested more than 200 levels deep"),
            std::string::npos);
  std::string tower, calls, calls_close;
  for (int i = 0; i < 5000; ++i) tower += "1 ** ";
  for (int i = 0; i < 5000; ++i) calls += "max(1, ", calls_close += ")";
  EXPECT_NE(error_of(tower + "1").find("nested more than 200 levels deep"), std::string::npos);
  EXPECT_NE(error_of(calls + "1" + calls_close).find("nested more than 200 levels deep"),
            std::string::npos);
  // The error points into the expression: the first level past the limit.
  try {
    eval(open + "1" + close);
    FAIL();
  } catch (const ExprError& e) {
    EXPECT_EQ(e.offset(), 200u);  // the 201st level
  }
  // 150 levels are fine, and long flat expressions do not nest.
  EXPECT_EQ(ival(std::string(150, '(') + "7" + std::string(150, ')')), 7);
  std::string sum = "0";
  for (int i = 0; i < 20000; ++i) sum += " + 1";
  EXPECT_EQ(ival(sum), 20000);
}

TEST(Expression, MessagesQuoteAnExcerptOfLongExpressions) {
  try {
    substitute_expressions("${" + std::string(5000, '(') + "}", {});
    FAIL();
  } catch (const ExprError& e) {
    std::string msg = e.what();
    EXPECT_LT(msg.size(), 400u) << msg;
    EXPECT_NE(msg.find("(5000 characters)"), std::string::npos) << msg;
  }
  EXPECT_EQ(excerpt("short"), "short");
}

}  // namespace
}  // namespace streamsim
