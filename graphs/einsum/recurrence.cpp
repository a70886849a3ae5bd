#include "graphs/einsum/recurrence.h"

#include <algorithm>

#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

[[noreturn]] void fail(const Einsum& e, const std::string& why) {
  throw Error(e.loc, "cannot compile `" + e.text + "`: " + why);
}

// True if `r` reads T at iteration v (the state before the step) with every other index equal
// to the recurrence's own left variables.
bool is_state(const TensorRef& r, const FoldRecurrence& rec, const Einsum& def) {
  if (r.name != rec.tensor || r.indices.size() != def.lhs.indices.size()) return false;
  for (std::size_t d = 0; d < r.indices.size(); ++d) {
    const AffineIndex& i = r.indices[d];
    if (!i.is_var_plus_offset() || i.var() != def.lhs.indices[d].var() || i.constant != 0) return false;
  }
  return true;
}

int count_state(const Expr& x, const FoldRecurrence& rec, const Einsum& def) {
  int n = x.kind == Expr::Kind::Tensor && is_state(x.ref, rec, def) ? 1 : 0;
  for (const auto& a : x.args) n += count_state(a, rec, def);
  return n;
}

bool reads(const Expr& x, const std::string& name) {
  if (x.kind == Expr::Kind::Tensor && x.ref.name == name) return true;
  return std::any_of(x.args.begin(), x.args.end(), [&](const Expr& a) { return reads(a, name); });
}

// Reads of `name` in the whole cascade, and in Einsum `only`.
int reads_of(const Cascade& c, const std::string& name, std::size_t only, int& in_only) {
  int n = 0;
  in_only = 0;
  for (std::size_t i = 0; i < c.einsums.size(); ++i) {
    std::vector<const TensorRef*> refs;
    collect_refs(c.einsums[i].rhs, refs);
    for (const TensorRef* r : refs)
      if (r->name == name) {
        ++n;
        if (i == only) ++in_only;
      }
  }
  return n;
}

// Replaces reads of helper tensors that read the state and feed only this recurrence by
// their definitions (SPD[m1,p] -> RD[m1,p] * PRM[m1,p]).
void inline_helpers(const Cascade& c, FoldRecurrence& rec, Expr& x) {
  if (x.kind == Expr::Kind::Tensor && x.ref.name != rec.tensor) {
    const TensorInfo& h = c.tensor(x.ref.name);
    if (h.is_input || h.definitions.size() != 1) return;
    const Einsum& def = c.einsums[h.definitions[0]];
    if (!reads(def.rhs, rec.tensor) || !c.reduced_vars(def).empty()) return;
    int in_rec = 0;
    if (reads_of(c, x.ref.name, rec.einsum, in_rec) != in_rec) return;  // someone else needs it
    for (std::size_t d = 0; d < def.lhs.indices.size(); ++d) {
      const AffineIndex& want = def.lhs.indices[d];
      const AffineIndex& got = x.ref.indices[d];
      if (!want.is_var_plus_offset() || want.constant != 0 || !got.is_var_plus_offset() || got.constant != 0 ||
          got.var() != want.var())
        return;  // inlining would need index substitution
    }
    if (std::find(rec.absorbed.begin(), rec.absorbed.end(), h.definitions[0]) == rec.absorbed.end())
      rec.absorbed.push_back(h.definitions[0]);
    x = def.rhs;
    inline_helpers(c, rec, x);
    return;
  }
  for (auto& a : x.args) inline_helpers(c, rec, a);
}

bool match_fold(FoldRecurrence& rec, const Einsum& def, const Expr& f) {
  auto state = [&](const Expr& e) { return e.kind == Expr::Kind::Tensor && is_state(e.ref, rec, def); };
  if (f.kind == Expr::Kind::Call && (f.func == "max" || f.func == "min") && f.args.size() == 2) {
    for (int s = 0; s < 2; ++s)
      if (state(f.args[s])) {
        rec.op = f.func;
        rec.x = f.args[1 - s];
        return true;
      }
    return false;
  }
  if (f.kind != Expr::Kind::Binary || (f.op != '+' && f.op != '*')) return false;
  for (int s = 0; s < 2; ++s) {
    const Expr& a = f.args[s];
    const Expr& other = f.args[1 - s];
    if (state(a)) {
      rec.op = f.op == '+' ? "sum" : "prod";
      rec.x = other;
      return true;
    }
    if (f.op == '+' && a.kind == Expr::Kind::Binary && a.op == '*') {
      for (int t = 0; t < 2; ++t)
        if (state(a.args[t])) {
          rec.op = "rescale_sum";
          rec.c = a.args[1 - t];
          rec.x = other;
          return true;
        }
    }
  }
  return false;
}

}  // namespace

bool constant_value(const Expr& e, double& out) {
  double a = 0, b = 0;
  switch (e.kind) {
    case Expr::Kind::Number: out = e.number; return true;
    case Expr::Kind::Negate:
      if (!constant_value(e.args[0], a)) return false;
      out = -a;
      return true;
    case Expr::Kind::Binary:
      if (!constant_value(e.args[0], a) || !constant_value(e.args[1], b)) return false;
      out = e.op == '+' ? a + b : e.op == '-' ? a - b : e.op == '*' ? a * b : a / b;
      return true;
    default: return false;
  }
}

std::map<std::string, FoldRecurrence> find_fold_recurrences(const Cascade& c) {
  std::map<std::string, FoldRecurrence> out;
  for (const auto& name : c.tensor_order) {
    const TensorInfo& t = c.tensor(name);
    auto iter = std::find(t.iterative.begin(), t.iterative.end(), true);
    if (t.is_input || iter == t.iterative.end()) continue;
    FoldRecurrence rec;
    rec.tensor = name;
    rec.dim = static_cast<std::size_t>(iter - t.iterative.begin());
    rec.var = t.dim_vars[rec.dim];
    rec.iterations = c.iterations(rec.var);
    bool have_init = false, have_step = false;
    for (std::size_t d : t.definitions) {
      const Einsum& e = c.einsums[d];
      const AffineIndex& i = e.lhs.indices[rec.dim];
      if (std::count(t.iterative.begin(), t.iterative.end(), true) > 1)
        fail(e, name + " iterates over two ranks; only one iterative rank per tensor is compiled");
      if (i.is_constant() && i.constant == 0 && !have_init) {
        if (!constant_value(e.rhs, rec.init))
          fail(e, "the initialisation of an iterative tensor must be a constant (the fold's start value)");
        rec.init_einsum = d;
        have_init = true;
      } else if (i.is_var_plus_offset() && i.constant == 1 && !have_step) {
        rec.einsum = d;
        have_step = true;
      } else {
        fail(e, "an iterative tensor compiles from one `T[0] = constant` and one `T[v+1] = ...`");
      }
    }
    const Einsum& def = c.einsums[rec.einsum];
    for (std::size_t d = 0; d < def.lhs.indices.size(); ++d)
      if (d != rec.dim && (!def.lhs.indices[d].is_var_plus_offset() || def.lhs.indices[d].constant != 0))
        fail(def, "only the iterated index of a recurrence may carry an offset");
    if (!c.reduced_vars(def).empty()) fail(def, "a recurrence that also reduces a rank is not compiled; reduce in a separate Einsum");
    Expr f = def.rhs;
    inline_helpers(c, rec, f);
    if (count_state(f, rec, def) != 1 || !match_fold(rec, def, f) || reads(rec.x, name) ||
        (rec.op == "rescale_sum" && reads(rec.c, name)))
      fail(def, "the update of " + name + " is not a fold the library has a unit for; write it as max(T[v],x), "
                "min(T[v],x), T[v]+x, T[v]*x or T[v]*c+x (helpers of T[v] read only here are inlined)");
    out[name] = std::move(rec);
  }
  return out;
}

}  // namespace einsum
}  // namespace streamsim
