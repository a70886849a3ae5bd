#pragma once
// `${expr}` expressions in YAML architecture files: a small arithmetic language over the
// file's named parameters. Integers stay integers where the result is exact (so a depth of
// `${seq_len / 4}` is an integer when it divides), everything else is a double.
//
//   expr    := sum
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/' | '//' | '%') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary ('**' unary)?            (right-associative, binds tighter than '-')
//   primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
//
// Functions: min, max (1+ arguments), pow, log2, ceil, floor, round, abs, sqrt.
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace streamsim {

// A parameter or expression value: an integer, a double, or (for parameters only) a string.
struct ExprValue {
  enum class Kind { Int, Double, String };
  Kind kind = Kind::Int;
  std::int64_t i = 0;
  double d = 0;
  std::string s;

  static ExprValue of_int(std::int64_t v);
  static ExprValue of_double(double v);
  static ExprValue of_string(std::string v);
  bool is_number() const { return kind != Kind::String; }
  double number() const { return kind == Kind::Int ? static_cast<double>(i) : d; }
  // Text as it would be written in YAML: "64", "0.5", "ramp". Doubles round-trip exactly.
  std::string text() const;
  bool operator==(const ExprValue& o) const;
};

// How deeply an expression may nest (parentheses, signs, '**' exponents, function arguments).
constexpr int kMaxExpressionDepth = 200;

using ExprScope = std::map<std::string, ExprValue>;

// A problem in an expression; `offset` is the character offset in the text handed to
// evaluate_expression / substitute_expressions where it was found.
class ExprError : public std::runtime_error {
 public:
  ExprError(std::size_t offset, const std::string& message)
      : std::runtime_error(message), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

// Evaluates one expression (without the surrounding "${ }"). Throws ExprError.
ExprValue evaluate_expression(const std::string& expr, const ExprScope& scope);

// Replaces every "${expr}" in `text` ("$${" stands for a literal "${").
struct Substitution {
  bool whole = false;  // the text (trimmed) was exactly one "${expr}": `value` is its value
  ExprValue value;     // valid when whole
  std::string text;    // the substituted text (value.text() when whole)
};
Substitution substitute_expressions(const std::string& text, const ExprScope& scope);

// `text` as is when short, else its first characters and its length: for messages that quote
// user text, which may be a hostile megabyte.
std::string excerpt(const std::string& text);

// Parses a plain YAML scalar as a number: "64" -> Int, "1.5"/"1e6" -> Double; false otherwise.
bool parse_number(const std::string& text, ExprValue& out);

}  // namespace streamsim
