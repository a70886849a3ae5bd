#include "sim/config/expression.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sim/core/error.h"

namespace streamsim {

ExprValue ExprValue::of_int(std::int64_t v) {
  ExprValue x;
  x.kind = Kind::Int;
  x.i = v;
  return x;
}
ExprValue ExprValue::of_double(double v) {
  ExprValue x;
  x.kind = Kind::Double;
  x.d = v;
  return x;
}
ExprValue ExprValue::of_string(std::string v) {
  ExprValue x;
  x.kind = Kind::String;
  x.s = std::move(v);
  return x;
}

std::string ExprValue::text() const {
  switch (kind) {
    case Kind::Int: return std::to_string(i);
    case Kind::String: return s;
    case Kind::Double: break;
  }
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // The shortest of %.15g / %.17g that reads back as the same double.
  char buf[64];
  for (int precision : {15, 16, 17}) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

bool ExprValue::operator==(const ExprValue& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::Int: return i == o.i;
    case Kind::Double: return d == o.d;
    case Kind::String: return s == o.s;
  }
  return false;
}

bool parse_number(const std::string& text, ExprValue& out) {
  if (text.empty()) return false;
  // Only decimal notation: no hex, inf or nan (strtod would take them).
  if (text.find_first_not_of("0123456789+-.eE") != std::string::npos) return false;
  const char* begin = text.c_str();
  char* end = nullptr;
  bool integral = text.find_first_of(".eE") == std::string::npos;
  if (integral) {
    errno = 0;
    long long v = std::strtoll(begin, &end, 10);
    if (end != begin && *end == '\0' && errno == 0) {
      out = ExprValue::of_int(v);
      return true;
    }
  }
  errno = 0;
  double d = std::strtod(begin, &end);
  if (end == begin || *end != '\0' || errno != 0 || std::isnan(d) || std::isinf(d)) return false;
  if (!std::isdigit(static_cast<unsigned char>(text.back())) && text.back() != '.') return false;
  out = ExprValue::of_double(d);
  return true;
}

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Recursive-descent evaluator: parses and evaluates in one pass (expressions are tiny).
class Evaluator {
 public:
  Evaluator(const std::string& text, const ExprScope& scope) : t_(text), scope_(scope) {}

  ExprValue run() {
    skip_space();
    if (pos_ == t_.size()) throw ExprError(0, "empty expression");
    ExprValue v = sum();
    skip_space();
    if (pos_ != t_.size()) throw ExprError(pos_, "unexpected '" + std::string(1, t_[pos_]) + "'");
    return v;
  }

 private:
  void skip_space() {
    while (pos_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[pos_]))) ++pos_;
  }
  bool accept(const char* op) {
    skip_space();
    std::size_t n = std::char_traits<char>::length(op);
    if (t_.compare(pos_, n, op) != 0) return false;
    // '*' must not match the first half of '**', nor '/' of '//'.
    if (n == 1 && (op[0] == '*' || op[0] == '/') && pos_ + 1 < t_.size() && t_[pos_ + 1] == op[0])
      return false;
    pos_ += n;
    return true;
  }

  static ExprValue numeric(const ExprValue& v, std::size_t at, const char* what) {
    if (!v.is_number())
      throw ExprError(at, std::string("cannot use the string '") + v.s + "' in " + what);
    return v;
  }

  ExprValue sum() {
    ExprValue v = product();
    for (;;) {
      std::size_t at = pos_;
      if (accept("+")) v = add(v, product(), at, false);
      else if (accept("-")) v = add(v, product(), at, true);
      else return v;
    }
  }

  ExprValue product() {
    ExprValue v = unary();
    for (;;) {
      skip_space();
      std::size_t at = pos_;
      if (accept("//")) v = floor_div(v, unary(), at);
      else if (accept("*")) v = multiply(v, unary(), at);
      else if (accept("/")) v = divide(v, unary(), at);
      else if (accept("%")) v = modulo(v, unary(), at);
      else return v;
    }
  }

  // Every recursion of this parser passes through unary (a '(' or a call's argument via sum
  // and product, a sign, the exponent of '**'), so one guard here bounds the stack: ten
  // thousand '(' once ended in a stack overflow.
  class Nested {
   public:
    Nested(Evaluator& e, std::size_t at) : e_(e) {
      if (++e_.depth_ > kMaxExpressionDepth)
        throw ExprError(at, "expression nested more than " + std::to_string(kMaxExpressionDepth) +
                                " levels deep (parentheses, signs or '**'); simplify it, or "
                                "compute parts of it in separate `params:` entries");
    }
    ~Nested() { --e_.depth_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Evaluator& e_;
  };

  ExprValue unary() {
    skip_space();
    std::size_t at = pos_;
    Nested nested(*this, at);
    if (accept("-")) {
      ExprValue v = numeric(unary(), at, "'-'");
      if (v.kind == ExprValue::Kind::Int) {
        if (v.i == INT64_MIN) throw ExprError(at, "integer overflow");
        return ExprValue::of_int(-v.i);
      }
      return ExprValue::of_double(-v.d);
    }
    if (accept("+")) return numeric(unary(), at, "'+'");
    return power();
  }

  ExprValue power() {
    ExprValue base = primary();
    skip_space();
    std::size_t at = pos_;
    if (accept("**")) return raise(base, unary(), at);
    return base;
  }

  ExprValue primary() {
    skip_space();
    if (pos_ == t_.size()) throw ExprError(pos_, "expression ends where a value was expected");
    char c = t_[pos_];
    if (c == '(') {
      ++pos_;
      ExprValue v = sum();
      if (!accept(")")) throw ExprError(pos_, "missing ')'");
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return number();
    if (is_name_start(c)) {
      std::size_t start = pos_;
      while (pos_ < t_.size() && is_name_char(t_[pos_])) ++pos_;
      std::string name = t_.substr(start, pos_ - start);
      skip_space();
      if (pos_ < t_.size() && t_[pos_] == '(') return call(name, start);
      auto it = scope_.find(name);
      if (it == scope_.end()) {
        std::vector<std::string> names;
        for (const auto& kv : scope_) names.push_back(kv.first);
        std::string msg = "unknown parameter '" + name + "'";
        std::string near = nearest_name(name, names);
        if (!near.empty()) msg += "; did you mean '" + near + "'?";
        msg += names.empty() ? " (no parameters are declared before this point)"
                             : " (declared so far: " + join_names(names) + ")";
        throw ExprError(start, msg);
      }
      return it->second;
    }
    throw ExprError(pos_, "unexpected '" + std::string(1, c) + "'");
  }

  ExprValue number() {
    std::size_t start = pos_;
    std::string digits;
    bool is_double = false;
    auto take_digits = [&] {
      while (pos_ < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[pos_])) ||
                                  (t_[pos_] == '_' && !digits.empty()))) {
        if (t_[pos_] != '_') digits += t_[pos_];
        ++pos_;
      }
    };
    take_digits();
    if (pos_ < t_.size() && t_[pos_] == '.') {
      is_double = true;
      digits += t_[pos_++];
      take_digits();
    }
    if (pos_ < t_.size() && (t_[pos_] == 'e' || t_[pos_] == 'E')) {
      is_double = true;
      digits += t_[pos_++];
      if (pos_ < t_.size() && (t_[pos_] == '+' || t_[pos_] == '-')) digits += t_[pos_++];
      std::size_t before = digits.size();
      take_digits();
      if (digits.size() == before) throw ExprError(pos_, "malformed exponent");
    }
    ExprValue v;
    if (!parse_number(digits, v)) throw ExprError(start, "malformed number '" + digits + "'");
    if (is_double && v.kind == ExprValue::Kind::Int) v = ExprValue::of_double(v.number());
    return v;
  }

  ExprValue call(const std::string& name, std::size_t at) {
    if (std::find(kFunctions.begin(), kFunctions.end(), name) == kFunctions.end()) {
      std::string msg = "unknown function '" + name + "'";
      std::string near = nearest_name(name, kFunctions);
      if (!near.empty()) msg += "; did you mean '" + near + "'?";
      throw ExprError(at, msg + " (functions: " + join_names(kFunctions) + ")");
    }
    ++pos_;  // '('
    std::vector<ExprValue> args;
    skip_space();
    if (!accept(")")) {
      do args.push_back(numeric(sum(), at, name.c_str()));
      while (accept(","));
      if (!accept(")")) throw ExprError(pos_, "missing ')' after the arguments of " + name);
    }
    auto want = [&](std::size_t n) {
      if (args.size() != n)
        throw ExprError(at, name + " takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") +
                                ", got " + std::to_string(args.size()));
    };
    if (name == "min" || name == "max") {
      if (args.empty()) throw ExprError(at, name + " needs at least one argument");
      ExprValue best = args[0];
      for (const auto& a : args) {
        bool better = name == "min" ? a.number() < best.number() : a.number() > best.number();
        if (better) best = a;
      }
      return best;
    }
    if (name == "pow") {
      want(2);
      return raise(args[0], args[1], at);
    }
    want(1);
    const ExprValue& x = args[0];
    double d = x.number();
    if (name == "log2") {
      if (d <= 0) throw ExprError(at, "log2 of " + x.text() + " is undefined (needs a positive value)");
      if (x.kind == ExprValue::Kind::Int && (x.i & (x.i - 1)) == 0) {
        std::int64_t r = 0;
        while ((std::int64_t(1) << r) < x.i) ++r;
        return ExprValue::of_int(r);
      }
      return ExprValue::of_double(std::log2(d));
    }
    if (name == "ceil") return to_int(std::ceil(d), at);
    if (name == "floor") return to_int(std::floor(d), at);
    if (name == "round") return to_int(std::round(d), at);
    if (name == "abs") return x.kind == ExprValue::Kind::Int ? ExprValue::of_int(x.i < 0 ? -x.i : x.i)
                                                            : ExprValue::of_double(std::fabs(d));
    if (name == "sqrt") {
      if (d < 0) throw ExprError(at, "sqrt of a negative number");
      return ExprValue::of_double(std::sqrt(d));
    }
    throw ExprError(at, "internal: function '" + name + "' has no implementation");
  }

  static ExprValue to_int(double d, std::size_t at) {
    if (!std::isfinite(d) || std::fabs(d) > 9.0e18) throw ExprError(at, "result is too large for an integer");
    return ExprValue::of_int(static_cast<std::int64_t>(d));
  }

  static bool both_int(const ExprValue& a, const ExprValue& b) {
    return a.kind == ExprValue::Kind::Int && b.kind == ExprValue::Kind::Int;
  }

  static ExprValue add(const ExprValue& a0, const ExprValue& b0, std::size_t at, bool subtract) {
    const ExprValue& a = numeric(a0, at, subtract ? "'-'" : "'+'");
    const ExprValue& b = numeric(b0, at, subtract ? "'-'" : "'+'");
    if (both_int(a, b)) {
      std::int64_t r;
      bool overflow = subtract ? __builtin_sub_overflow(a.i, b.i, &r) : __builtin_add_overflow(a.i, b.i, &r);
      if (overflow) throw ExprError(at, "integer overflow");
      return ExprValue::of_int(r);
    }
    return ExprValue::of_double(subtract ? a.number() - b.number() : a.number() + b.number());
  }

  static ExprValue multiply(const ExprValue& a0, const ExprValue& b0, std::size_t at) {
    const ExprValue& a = numeric(a0, at, "'*'");
    const ExprValue& b = numeric(b0, at, "'*'");
    if (both_int(a, b)) {
      std::int64_t r;
      if (__builtin_mul_overflow(a.i, b.i, &r)) throw ExprError(at, "integer overflow");
      return ExprValue::of_int(r);
    }
    return ExprValue::of_double(a.number() * b.number());
  }

  static void check_divisor(const ExprValue& b, std::size_t at) {
    if (b.number() == 0) throw ExprError(at, "division by zero");
  }

  // True division; stays an integer when both operands are integers and it divides exactly.
  static ExprValue divide(const ExprValue& a0, const ExprValue& b0, std::size_t at) {
    const ExprValue& a = numeric(a0, at, "'/'");
    const ExprValue& b = numeric(b0, at, "'/'");
    check_divisor(b, at);
    if (both_int(a, b) && !(a.i == INT64_MIN && b.i == -1) && a.i % b.i == 0) return ExprValue::of_int(a.i / b.i);
    return ExprValue::of_double(a.number() / b.number());
  }

  static ExprValue floor_div(const ExprValue& a0, const ExprValue& b0, std::size_t at) {
    const ExprValue& a = numeric(a0, at, "'//'");
    const ExprValue& b = numeric(b0, at, "'//'");
    check_divisor(b, at);
    if (both_int(a, b)) {
      if (a.i == INT64_MIN && b.i == -1) throw ExprError(at, "integer overflow");
      std::int64_t q = a.i / b.i;
      if ((a.i % b.i != 0) && ((a.i < 0) != (b.i < 0))) --q;
      return ExprValue::of_int(q);
    }
    return to_int(std::floor(a.number() / b.number()), at);
  }

  // Remainder with the sign of the divisor (as in Python), so `x % n` is in [0, n) for n > 0.
  static ExprValue modulo(const ExprValue& a0, const ExprValue& b0, std::size_t at) {
    const ExprValue& a = numeric(a0, at, "'%'");
    const ExprValue& b = numeric(b0, at, "'%'");
    check_divisor(b, at);
    if (both_int(a, b)) {
      if (b.i == -1) return ExprValue::of_int(0);
      std::int64_t r = a.i % b.i;
      if (r != 0 && ((r < 0) != (b.i < 0))) r += b.i;
      return ExprValue::of_int(r);
    }
    double r = std::fmod(a.number(), b.number());
    if (r != 0 && ((r < 0) != (b.number() < 0))) r += b.number();
    return ExprValue::of_double(r);
  }

  static ExprValue raise(const ExprValue& a0, const ExprValue& b0, std::size_t at) {
    const ExprValue& a = numeric(a0, at, "'**'");
    const ExprValue& b = numeric(b0, at, "'**'");
    if (both_int(a, b) && b.i >= 0) {
      std::int64_t r = 1;
      for (std::int64_t k = 0; k < b.i; ++k) {
        if (__builtin_mul_overflow(r, a.i, &r)) throw ExprError(at, "integer overflow");
        if (r == 0 || r == 1) break;  // 0**n, 1**n: no need to loop up to a huge exponent
      }
      if (r == 1 && a.i == -1 && b.i % 2 == 1) r = -1;
      return ExprValue::of_int(r);
    }
    if (a.number() == 0 && b.number() < 0) throw ExprError(at, "division by zero");
    return ExprValue::of_double(std::pow(a.number(), b.number()));
  }

  inline static const std::vector<std::string> kFunctions = {"abs",  "ceil", "floor", "log2", "max",
                                                             "min",  "pow",  "round", "sqrt"};
  const std::string& t_;
  const ExprScope& scope_;
  std::size_t pos_ = 0;
  int depth_ = 0;  // current recursion depth (see Nested)
};

}  // namespace

std::string excerpt(const std::string& text) {
  constexpr std::size_t kMax = 60;  // enough to recognise the expression in a message
  if (text.size() <= kMax) return text;
  return text.substr(0, kMax) + "... (" + std::to_string(text.size()) + " characters)";
}

ExprValue evaluate_expression(const std::string& expr, const ExprScope& scope) {
  return Evaluator(expr, scope).run();
}

Substitution substitute_expressions(const std::string& text, const ExprScope& scope) {
  Substitution out;
  std::size_t first = text.find_first_not_of(" \t");
  std::size_t last = text.find_last_not_of(" \t");
  std::size_t pos = 0;
  int expressions = 0;
  bool only_expression = false;
  while (pos < text.size()) {
    std::size_t open = text.find("${", pos);
    if (open == std::string::npos) {
      out.text += text.substr(pos);
      break;
    }
    if (open > 0 && text[open - 1] == '$') {  // "$${" is a literal "${"
      out.text += text.substr(pos, open - 1 - pos) + "${";
      pos = open + 2;
      continue;
    }
    out.text += text.substr(pos, open - pos);
    std::size_t close = text.find('}', open + 2);
    if (close == std::string::npos) throw ExprError(open, "'${' has no closing '}'");
    std::string expr = text.substr(open + 2, close - open - 2);
    ExprValue v;
    try {
      v = evaluate_expression(expr, scope);
    } catch (const ExprError& e) {
      throw ExprError(open + 2 + e.offset(),
                      std::string(e.what()) + " in '${" + excerpt(expr) + "}'");
    }
    ++expressions;
    only_expression = open == first && close == last;
    out.value = v;
    out.text += v.text();
    pos = close + 1;
  }
  out.whole = expressions == 1 && only_expression;
  if (!out.whole) out.value = ExprValue();
  return out;
}

}  // namespace streamsim
