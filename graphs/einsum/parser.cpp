#include "graphs/einsum/parser.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "graphs/einsum/functions.h"
#include "graphs/einsum/lexer.h"
#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

// Affine value during index parsing: terms by rank id plus a constant.
struct Affine {
  std::map<int, std::int64_t> terms;
  std::int64_t constant = 0;
  bool is_constant() const { return terms.empty(); }
};

// Index arithmetic is exact 64-bit integer arithmetic; an input whose constants overflow it
// is an error (found by tests/fuzz/cascade_parser_fuzz.cpp), not undefined behaviour.
std::int64_t checked(bool overflowed, std::int64_t value) {
  if (overflowed)
    throw Error("index or size arithmetic overflows 64-bit integers; use smaller constants");
  return value;
}
std::int64_t add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  bool overflowed =
      __builtin_add_overflow(a, b, &r);  // before reading r: argument order is unspecified
  return checked(overflowed, r);
}
std::int64_t mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  bool overflowed = __builtin_mul_overflow(a, b, &r);
  return checked(overflowed, r);
}

Affine combine(Affine a, const Affine& b, std::int64_t sign) {
  for (const auto& [v, c] : b.terms) a.terms[v] = add(a.terms[v], mul(sign, c));
  a.constant = add(a.constant, mul(sign, b.constant));
  for (auto it = a.terms.begin(); it != a.terms.end();)
    it = it->second == 0 ? a.terms.erase(it) : std::next(it);
  return a;
}

Affine scale(Affine a, std::int64_t k) {
  for (auto& [v, c] : a.terms) c = mul(c, k);
  a.constant = mul(a.constant, k);
  if (k == 0) a.terms.clear();
  return a;
}

class Parser {
 public:
  Parser(Cascade& c, const std::map<std::string, std::int64_t>& overrides)
      : c_(c), overrides_(overrides) {}

  void line(std::vector<Token> toks, const std::string& raw) {
    toks_ = std::move(toks);
    pos_ = 0;
    raw_ = raw;
    if (peek().kind == Tok::End) return;
    const Token& first = peek();
    const Token& second = toks_.size() > 1 ? toks_[1] : first;
    if (first.kind == Tok::Ident && second.kind == Tok::Ident) {
      if (first.text == "rank") return rank_decl();
      if (first.text == "input") return input_decl();
      if (first.text == "stop") return stop_decl();
      throw Error(first.loc,
                  "unknown statement '" + first.text +
                      "'; a line is `rank`, `input`, `stop when`, or an Einsum `T[...] = ...`");
    }
    einsum();
  }

  void finish() {
    for (const auto& [name, size] : overrides_) {
      bool found = false;
      for (const auto& r : c_.ranks) found = found || r.name == name;
      if (!found) {
        std::vector<std::string> names;
        for (const auto& r : c_.ranks) names.push_back(r.name);
        std::string hint = nearest_name(name, names);
        throw Error(SourceLoc{c_.file, 0, 0},
                    "size override '" + name + "=" + std::to_string(size) +
                        "' names no rank of this cascade" +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                        "; ranks: " + join_names(names));
      }
    }
  }

 private:
  const Token& peek() const { return toks_[pos_]; }
  Token next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  Token expect(Tok kind, const std::string& context) {
    if (peek().kind != kind) {
      const Token& t = peek();
      throw Error(t.loc, std::string("expected ") + tok_name(kind) + " " + context + ", found " +
                             (t.kind == Tok::End ? "end of line" : "'" + t.text + "'"));
    }
    return next();
  }
  void expect_end() {
    if (peek().kind != Tok::End)
      throw Error(peek().loc, "unexpected '" + peek().text + "' after the end of the statement");
  }

  int rank_by_name(const std::string& n) const {
    for (std::size_t i = 0; i < c_.ranks.size(); ++i)
      if (c_.ranks[i].name == n) return static_cast<int>(i);
    return -1;
  }
  int rank_by_var(const std::string& v) const {
    for (std::size_t i = 0; i < c_.ranks.size(); ++i)
      if (c_.ranks[i].var == v) return static_cast<int>(i);
    return -1;
  }
  std::vector<std::string> index_names() const {
    std::vector<std::string> out;
    for (const auto& r : c_.ranks) {
      out.push_back(r.var);
      out.push_back(r.name);
    }
    return out;
  }

  // rank NAME = sizeexpr
  void rank_decl() {
    next();
    Token name = expect(Tok::Ident, "(the rank's name) after 'rank'");
    if (!std::isupper(static_cast<unsigned char>(name.text[0])))
      throw Error(name.loc,
                  "rank name '" + name.text +
                      "' must start with an upper-case letter (rank M declares index variable m)");
    if (rank_by_name(name.text) >= 0)
      throw Error(name.loc, "rank '" + name.text + "' declared twice (first at " +
                                c_.ranks[rank_by_name(name.text)].loc.str() + ")");
    expect(Tok::Assign, "after the rank name (rank M = 16)");
    SourceLoc at = peek().loc;
    Affine size = index_sum(false);
    expect_end();
    auto ov = overrides_.find(name.text);
    std::int64_t value = ov != overrides_.end() ? ov->second : size.constant;
    if (value <= 0)
      throw Error(at, "rank '" + name.text + "' has size " + std::to_string(value) +
                          "; sizes must be positive");
    std::string var = name.text;
    for (auto& ch : var) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (rank_by_var(var) >= 0)
      throw Error(name.loc, "rank '" + name.text + "' would reuse index variable '" + var + "'");
    c_.ranks.push_back(Rank{name.text, var, value, name.loc});
  }

  // input NAME [ '[' RANK {, RANK} ']' ]
  void input_decl() {
    next();
    Token name = expect(Tok::Ident, "(the tensor's name) after 'input'");
    InputDecl d{name.text, {}, name.loc};
    if (peek().kind == Tok::LBracket) {
      next();
      while (true) {
        Token r = expect(Tok::Ident, "(a rank name) in the input's shape");
        int id = rank_by_name(r.text);
        if (id < 0) {
          std::vector<std::string> names;
          for (const auto& rk : c_.ranks) names.push_back(rk.name);
          std::string hint = nearest_name(r.text, names);
          throw Error(r.loc, "undeclared rank '" + r.text + "' in the shape of input " + name.text +
                                 (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                 "; declare it first with `rank " + r.text + " = SIZE`");
        }
        d.ranks.push_back(id);
        if (peek().kind == Tok::Comma) {
          next();
          continue;
        }
        expect(Tok::RBracket, "to close the input's shape");
        break;
      }
    }
    expect_end();
    c_.inputs.push_back(std::move(d));
  }

  // stop when var >= sizeexpr
  void stop_decl() {
    Token stop = next();
    Token when = expect(Tok::Ident, "after 'stop' (stop when m1 >= M1)");
    if (when.text != "when")
      throw Error(when.loc, "expected 'when' after 'stop' (stop when m1 >= M1)");
    Token var = expect(Tok::Ident, "(an index variable) in the stop condition");
    int id = rank_by_var(var.text);
    if (id < 0)
      throw Error(var.loc, "unknown index variable '" + var.text + "' in the stop condition");
    expect(Tok::GreaterEq, "in the stop condition (stop when m1 >= M1)");
    SourceLoc at = peek().loc;
    Affine bound = index_sum(false);
    expect_end();
    const Rank& r = c_.ranks[static_cast<std::size_t>(id)];
    if (bound.constant < 1 || bound.constant > r.size)
      throw Error(at, "stop bound " + std::to_string(bound.constant) + " for '" + var.text +
                          "' must be between 1 and the size of rank " + r.name + " (" +
                          std::to_string(r.size) + ")");
    for (const auto& s : c_.stops)
      if (s.var == id) throw Error(stop.loc, "second stop condition for '" + var.text + "'");
    c_.stops.push_back(StopRule{id, bound.constant, stop.loc});
  }

  void einsum() {
    Einsum e;
    e.loc = peek().loc;
    e.text = raw_.substr(0, raw_.find('#'));
    while (!e.text.empty() && std::isspace(static_cast<unsigned char>(e.text.back())))
      e.text.pop_back();
    while (!e.text.empty() && std::isspace(static_cast<unsigned char>(e.text.front())))
      e.text.erase(0, 1);
    Token name = expect(Tok::Ident, "(the output tensor) at the start of an Einsum");
    e.lhs = tensor_ref(name);
    expect(Tok::Assign, "after the output tensor of an Einsum");
    e.rhs = expr();
    if (peek().kind == Tok::DoubleColon) {
      next();
      while (true) {
        Token r = expect(Tok::Ident, "(reduce_<var> <op>) after '::'");
        if (r.text.rfind("reduce_", 0) != 0)
          throw Error(r.loc, "expected reduce_<var> after '::' (e.g. `:: reduce_m max`), found '" +
                                 r.text + "'");
        std::string var = r.text.substr(7);
        int id = rank_by_var(var);
        if (id < 0)
          throw Error(r.loc, "'" + r.text + "' names unknown index variable '" + var + "'");
        Token op = expect(Tok::Ident, "(the reduction operator) after " + r.text);
        if (!FunctionRegistry::instance().reduce_op(op.text)) {
          auto names = FunctionRegistry::instance().reduce_op_names();
          std::string hint = nearest_name(op.text, names);
          throw Error(op.loc, "unknown reduction operator '" + op.text + "'" +
                                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                  "; registered: " + join_names(names));
        }
        for (const auto& existing : e.reduces)
          if (existing.var == id) throw Error(r.loc, "two reduction operators for '" + var + "'");
        e.reduces.push_back(ReduceClause{id, op.text, r.loc});
        if (peek().kind == Tok::Comma) {
          next();
          continue;
        }
        if (peek().kind == Tok::Ident) continue;
        break;
      }
    }
    expect_end();
    c_.einsums.push_back(std::move(e));
  }

  TensorRef tensor_ref(const Token& name) {
    TensorRef r{name.text, {}, name.loc};
    if (name.text == "inf") throw Error(name.loc, "'inf' is a number, not a tensor name");
    if (FunctionRegistry::instance().function(name.text) && peek().kind != Tok::LBracket)
      throw Error(name.loc, "'" + name.text + "' is a function; call it as " + name.text + "(...)");
    if (peek().kind != Tok::LBracket) return r;
    next();
    if (peek().kind == Tok::RBracket) {
      next();
      return r;
    }
    while (true) {
      r.indices.push_back(index_expr());
      if (peek().kind == Tok::Comma) {
        next();
        continue;
      }
      expect(Tok::RBracket, "to close the index list of " + name.text);
      break;
    }
    return r;
  }

  AffineIndex index_expr() {
    std::size_t start = pos_;
    AffineIndex out;
    out.loc = peek().loc;
    Affine a = index_sum(true);
    for (const auto& [v, c] : a.terms) out.terms.emplace_back(v, c);
    out.constant = a.constant;
    for (std::size_t i = start; i < pos_; ++i) out.text += toks_[i].text;
    return out;
  }

  Affine index_sum(bool allow_vars) {
    Affine a = index_product(allow_vars);
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) {
      std::int64_t sign = next().kind == Tok::Plus ? 1 : -1;
      a = combine(a, index_product(allow_vars), sign);
    }
    return a;
  }

  Affine index_product(bool allow_vars) {
    Affine a = index_atom(allow_vars);
    while (peek().kind == Tok::Star || peek().kind == Tok::Slash) {
      Token op = next();
      Affine b = index_atom(allow_vars);
      if (op.kind == Tok::Star) {
        if (!a.is_constant() && !b.is_constant())
          throw Error(
              op.loc,
              "index expressions must be affine: one side of '*' must be a constant or size");
        a = a.is_constant() ? scale(b, a.constant) : scale(a, b.constant);
      } else {
        checked(b.constant == -1 && a.constant == std::numeric_limits<std::int64_t>::min(), 0);
        if (!a.is_constant() || !b.is_constant() || b.constant == 0 || a.constant % b.constant != 0)
          throw Error(op.loc, "'/' in an index or size needs constants that divide exactly");
        a.constant /= b.constant;
      }
    }
    return a;
  }

  // Every recursion of the expression parsers goes through index_atom or unary; each holds a
  // Nested for its call, so that absurdly deep nesting ("((((...", "- - - -...") is an error
  // on its line instead of a stack overflow (found by the cascade_parser fuzzer).
  static constexpr int kMaxNesting = 200;
  class Nested {
   public:
    Nested(Parser& p, const SourceLoc& at) : p_(p) {
      if (++p_.nesting_ > kMaxNesting)
        throw Error(
            at, "expression nested more than " + std::to_string(kMaxNesting) +
                    " levels deep (parentheses or signs); simplify it or split it into Einsums");
    }
    ~Nested() { --p_.nesting_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Parser& p_;
  };

  Affine index_atom(bool allow_vars) {
    Nested nested(*this, peek().loc);
    Token t = next();
    Affine a;
    if (t.kind == Tok::Number) {
      if (t.number != std::floor(t.number) || t.number < 0)
        throw Error(t.loc,
                    "index and size constants are non-negative integers, found '" + t.text + "'");
      if (t.number >= 9.0e18)  // beyond int64: the cast below would be undefined
        throw Error(t.loc, "index or size constant '" + t.text + "' is too large (at most 9e18)");
      a.constant = static_cast<std::int64_t>(t.number);
      return a;
    }
    if (t.kind == Tok::LParen) {
      a = index_sum(allow_vars);
      expect(Tok::RParen, "to close '('");
      return a;
    }
    if (t.kind == Tok::Minus) return scale(index_atom(allow_vars), -1);
    if (t.kind != Tok::Ident)
      throw Error(t.loc,
                  "expected an index variable, size or number, found " +
                      (t.kind == Tok::End ? std::string("end of line") : "'" + t.text + "'"));
    int by_name = rank_by_name(t.text);
    if (by_name >= 0) {
      a.constant = c_.ranks[static_cast<std::size_t>(by_name)].size;
      return a;
    }
    int by_var = rank_by_var(t.text);
    if (by_var >= 0) {
      if (!allow_vars)
        throw Error(t.loc, "index variable '" + t.text + "' cannot appear in a size");
      a.terms[by_var] = 1;
      return a;
    }
    std::string hint = nearest_name(t.text, index_names());
    throw Error(
        t.loc,
        "unknown index or size '" + t.text + "'" +
            (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
            "; declare a rank with `rank " +
            std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(t.text[0])))) +
            t.text.substr(1) + " = SIZE`");
  }

  Expr expr() {
    Expr a = term();
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) {
      Token op = next();  // sequenced before the operand (argument order is unspecified)
      a = binary(std::move(a), op, term());
    }
    return a;
  }
  Expr term() {
    Expr a = unary();
    while (peek().kind == Tok::Star || peek().kind == Tok::Slash) {
      Token op = next();
      a = binary(std::move(a), op, unary());
    }
    return a;
  }
  static Expr binary(Expr a, const Token& op, Expr b) {
    Expr e;
    e.kind = Expr::Kind::Binary;
    e.op = op.text[0];
    e.loc = op.loc;
    e.args.push_back(std::move(a));
    e.args.push_back(std::move(b));
    return with_height(std::move(e));
  }

  // A chain `a + b + c + ...` builds a tree as deep as it is long without nesting the parser
  // (the loops in expr and term), so the tree's height is bounded separately from kMaxNesting.
  static constexpr int kMaxExprHeight = 1000;
  static Expr with_height(Expr e) {
    for (const Expr& a : e.args) e.height = std::max(e.height, a.height + 1);
    if (e.height > kMaxExprHeight)
      throw Error(e.loc, "expression more than " + std::to_string(kMaxExprHeight) +
                             " operations deep (a chain of '+', '*' ... or nested calls); split it "
                             "into several Einsums with intermediate tensors");
    return e;
  }
  Expr unary() {
    Nested nested(*this, peek().loc);
    if (peek().kind == Tok::Minus) {
      Expr e;
      e.loc = next().loc;
      e.kind = Expr::Kind::Negate;
      e.args.push_back(unary());
      return with_height(std::move(e));
    }
    return primary();
  }
  Expr primary() {
    Token t = next();
    Expr e;
    e.loc = t.loc;
    if (t.kind == Tok::Number) {
      e.number = t.number;
      return e;
    }
    if (t.kind == Tok::LParen) {
      e = expr();
      expect(Tok::RParen, "to close '('");
      return e;
    }
    if (t.kind != Tok::Ident)
      throw Error(t.loc,
                  "expected a tensor, number or function call, found " +
                      (t.kind == Tok::End ? std::string("end of line") : "'" + t.text + "'"));
    if (t.text == "inf") {
      e.number = std::numeric_limits<double>::infinity();
      return e;
    }
    if (peek().kind == Tok::LParen) {
      const FunctionDef* f = FunctionRegistry::instance().function(t.text);
      if (!f) {
        auto names = FunctionRegistry::instance().function_names();
        std::string hint = nearest_name(t.text, names);
        throw Error(t.loc, "unknown function '" + t.text + "'" +
                               (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                               "; registered: " + join_names(names));
      }
      next();
      e.kind = Expr::Kind::Call;
      e.func = t.text;
      if (peek().kind != Tok::RParen) {
        while (true) {
          e.args.push_back(expr());
          if (peek().kind == Tok::Comma) {
            next();
            continue;
          }
          break;
        }
      }
      expect(Tok::RParen, "to close the arguments of " + t.text);
      if (static_cast<int>(e.args.size()) != f->arity)
        throw Error(t.loc, "function '" + t.text + "' takes " + std::to_string(f->arity) +
                               " argument(s), given " + std::to_string(e.args.size()));
      return with_height(std::move(e));
    }
    // A bare index variable is its value: `select(p - m + 1, 0, -inf)` (a causal mask).
    if (peek().kind != Tok::LBracket && rank_by_var(t.text) >= 0) {
      e.kind = Expr::Kind::Index;
      e.var = rank_by_var(t.text);
      return e;
    }
    // A bare rank name is its size (`m1*M0 + m0` as a value), unless an input has that name.
    if (peek().kind != Tok::LBracket && rank_by_name(t.text) >= 0 &&
        std::none_of(c_.inputs.begin(), c_.inputs.end(),
                     [&](const InputDecl& d) { return d.name == t.text; })) {
      e.number = static_cast<double>(c_.ranks[static_cast<std::size_t>(rank_by_name(t.text))].size);
      return e;
    }
    e.kind = Expr::Kind::Tensor;
    e.ref = tensor_ref(t);
    return e;
  }

  Cascade& c_;
  const std::map<std::string, std::int64_t>& overrides_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int nesting_ = 0;  // current recursion depth of the expression parsers (see Nested)
  std::string raw_;
};

}  // namespace

Cascade parse_cascade_syntax(const std::string& text, const std::string& file,
                             const std::map<std::string, std::int64_t>& size_overrides) {
  Cascade c;
  c.file = file;
  Parser p(c, size_overrides);
  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    p.line(lex_line(raw, file, line_no), raw);
  }
  p.finish();
  return c;
}

}  // namespace einsum
}  // namespace streamsim
