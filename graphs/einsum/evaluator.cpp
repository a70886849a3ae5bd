#include "graphs/einsum/evaluator.h"

#include <random>

#include "graphs/einsum/functions.h"
#include "sim/core/error.h"

namespace streamsim {
namespace einsum {

std::size_t TensorValues::offset(const std::vector<std::int64_t>& index) const {
  if (index.size() != extents.size())
    throw Error(name + " has " + std::to_string(extents.size()) + " dimension(s), indexed with " +
                std::to_string(index.size()));
  std::size_t off = 0;
  for (std::size_t d = 0; d < extents.size(); ++d) {
    if (index[d] < 0 || index[d] >= extents[d])
      throw Error("index " + std::to_string(index[d]) + " out of range 0.." + std::to_string(extents[d] - 1) +
                  " in dimension " + std::to_string(d + 1) + " of " + name);
    off = off * static_cast<std::size_t>(extents[d]) + static_cast<std::size_t>(index[d]);
  }
  return off;
}

const TensorValues& Evaluation::operator[](const std::string& name) const {
  auto it = tensors.find(name);
  if (it == tensors.end()) throw Error("the evaluation has no tensor '" + name + "'");
  return it->second;
}

namespace {

std::int64_t eval_index(const AffineIndex& a, const std::vector<std::int64_t>& env) {
  std::int64_t v = a.constant;
  for (const auto& [var, coef] : a.terms) v += coef * env[static_cast<std::size_t>(var)];
  return v;
}

class Evaluator {
 public:
  Evaluator(const Cascade& c, const EvalOptions& o) : c_(c) {
    std::mt19937_64 rng(o.seed);
    std::uniform_real_distribution<double> dist(o.low, o.high);
    for (const auto& name : c.tensor_order) {
      const TensorInfo& t = c.tensor(name);
      TensorValues v{name, t.extents, {}};
      std::size_t n = 1;
      for (auto x : t.extents) n *= static_cast<std::size_t>(x);
      v.data.assign(n, 0.0);
      if (t.is_input) {
        auto given = o.inputs.find(name);
        if (given != o.inputs.end()) {
          if (given->second.size() != n)
            throw Error(t.loc, "input " + name + " needs " + std::to_string(n) + " values, given " +
                                   std::to_string(given->second.size()));
          v.data = given->second;
        } else {
          for (auto& x : v.data) x = dist(rng);
        }
        state_[name].assign(n, 2);
      } else {
        state_[name].assign(n, 0);
      }
      out_.tensors[name] = std::move(v);
    }
    for (const auto& [name, _] : o.inputs)
      if (!c.tensors.count(name) || !c.tensor(name).is_input)
        throw Error("value given for '" + name + "', which is not an input of cascade " + c.file);
  }

  Evaluation run() {
    for (const auto& name : c_.tensor_order) {
      TensorValues& v = out_.tensors[name];
      std::vector<std::int64_t> idx(v.extents.size(), 0);
      for (std::size_t k = 0; k < v.data.size(); ++k) {
        element(name, idx);
        for (std::size_t d = idx.size(); d-- > 0;) {
          if (++idx[d] < v.extents[d]) break;
          idx[d] = 0;
        }
      }
    }
    return std::move(out_);
  }

 private:
  double element(const std::string& name, const std::vector<std::int64_t>& idx) {
    TensorValues& v = out_.tensors.at(name);
    std::size_t off = v.offset(idx);
    auto& st = state_.at(name)[off];
    if (st == 2) return v.data[off];
    const TensorInfo& t = c_.tensor(name);
    // Find the one Einsum writing this element and bind its left variables.
    std::vector<std::int64_t> env(c_.ranks.size(), 0);
    const Einsum* def = nullptr;
    for (std::size_t d : t.definitions) {
      const Einsum& e = c_.einsums[d];
      bool match = true;
      for (std::size_t k = 0; k < idx.size() && match; ++k) {
        const AffineIndex& a = e.lhs.indices[k];
        if (a.is_constant()) { match = idx[k] == a.constant; continue; }
        std::int64_t val = idx[k] - a.constant;
        match = val >= 0 && val < c_.var_range(e, a.var());
        env[static_cast<std::size_t>(a.var())] = val;
      }
      if (match) { def = &e; break; }
    }
    if (!def) throw Error(t.loc, "no Einsum defines element " + element_text(name, idx));
    if (st == 1)
      throw Error(def->loc, "cyclic definition: " + element_text(name, idx) + " depends on itself");
    st = 1;
    std::vector<int> reduced = c_.reduced_vars(*def);
    double value = reduce(*def, reduced, 0, env);
    v.data[off] = value;
    state_.at(name)[off] = 2;
    return value;
  }

  // Nested reductions: reduced[0] outermost, each with its own operator.
  double reduce(const Einsum& e, const std::vector<int>& reduced, std::size_t level, std::vector<std::int64_t>& env) {
    if (level == reduced.size()) return expr(e.rhs, env);
    int var = reduced[level];
    const ReduceOpDef* op = FunctionRegistry::instance().reduce_op(c_.reduce_op(e, var));
    double acc = op->identity;
    std::int64_t n = c_.var_range(e, var);
    for (std::int64_t i = 0; i < n; ++i) {
      env[static_cast<std::size_t>(var)] = i;
      acc = op->combine(acc, reduce(e, reduced, level + 1, env));
    }
    return acc;
  }

  double expr(const Expr& x, std::vector<std::int64_t>& env) {
    switch (x.kind) {
      case Expr::Kind::Number: return x.number;
      case Expr::Kind::Index: return static_cast<double>(env[static_cast<std::size_t>(x.var)]);
      case Expr::Kind::Negate: return -expr(x.args[0], env);
      case Expr::Kind::Binary: {
        double a = expr(x.args[0], env), b = expr(x.args[1], env);
        switch (x.op) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          default: return a / b;
        }
      }
      case Expr::Kind::Call: {
        double args[8];
        for (std::size_t i = 0; i < x.args.size() && i < 8; ++i) args[i] = expr(x.args[i], env);
        return FunctionRegistry::instance().function(x.func)->apply(args);
      }
      case Expr::Kind::Tensor: {
        std::vector<std::int64_t> idx;
        idx.reserve(x.ref.indices.size());
        for (const auto& a : x.ref.indices) idx.push_back(eval_index(a, env));
        // element() may overwrite nothing of env: it uses its own.
        return element(x.ref.name, idx);
      }
    }
    return 0;
  }

  static std::string element_text(const std::string& name, const std::vector<std::int64_t>& idx) {
    std::string s = name + "[";
    for (std::size_t i = 0; i < idx.size(); ++i) s += (i ? "," : "") + std::to_string(idx[i]);
    return s + "]";
  }

  const Cascade& c_;
  Evaluation out_;
  std::map<std::string, std::vector<unsigned char>> state_;
};

}  // namespace

Evaluation evaluate(const Cascade& c, const EvalOptions& options) { return Evaluator(c, options).run(); }

}  // namespace einsum
}  // namespace streamsim
