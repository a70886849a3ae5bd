#include "graphs/einsum/semantics.h"

#include <algorithm>
#include <functional>
#include <set>

#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

bool is_init(const Einsum& e) {
  for (const auto& idx : e.lhs.indices)
    if (idx.is_constant()) return true;
  return false;
}

// Smallest and largest value of an affine index when each variable v ranges over [0, range(v)).
std::pair<std::int64_t, std::int64_t> index_bounds(const AffineIndex& a,
                                                   const std::function<std::int64_t(int)>& range) {
  std::int64_t lo = a.constant, hi = a.constant;
  for (const auto& [v, coef] : a.terms) {
    std::int64_t top = coef * (range(v) - 1);
    lo += std::min<std::int64_t>(0, top);
    hi += std::max<std::int64_t>(0, top);
  }
  return {lo, hi};
}

class Checker {
 public:
  explicit Checker(Cascade& c) : c_(c) {}

  void run() {
    declare_inputs();
    shape_defined_tensors();
    check_overlap_and_coverage();
    check_stops();
    for (const auto& e : c_.einsums) check_reads(e);
    check_cycles();
  }

 private:
  const Rank& rank(int v) const { return c_.ranks[static_cast<std::size_t>(v)]; }

  void declare_inputs() {
    for (const auto& in : c_.inputs) {
      if (c_.tensors.count(in.name))
        throw Error(in.loc, "input '" + in.name + "' declared twice (first at " + c_.tensors[in.name].loc.str() + ")");
      TensorInfo t;
      t.name = in.name;
      t.is_input = true;
      t.loc = in.loc;
      for (int r : in.ranks) {
        t.dim_vars.push_back(r);
        t.extents.push_back(rank(r).size);
        t.iterative.push_back(false);
      }
      c_.tensors[in.name] = t;
      c_.tensor_order.push_back(in.name);
    }
  }

  void shape_defined_tensors() {
    for (std::size_t i = 0; i < c_.einsums.size(); ++i) {
      const Einsum& e = c_.einsums[i];
      const TensorRef& lhs = e.lhs;
      auto it = c_.tensors.find(lhs.name);
      if (it != c_.tensors.end() && it->second.is_input)
        throw Error(lhs.loc, "Einsum redefines input '" + lhs.name + "' (declared at " + it->second.loc.str() +
                                 "); give the output another name");
      std::vector<int> seen;
      for (const auto& idx : lhs.indices) {
        if (!idx.is_constant() && !idx.is_var_plus_offset())
          throw Error(idx.loc, "left index '" + idx.text + "' of " + lhs.name +
                                   " must be an index variable (m), a variable plus a constant (m1+1) or a constant (0)");
        if (!idx.is_constant() && idx.constant < 0)
          throw Error(idx.loc, "left index '" + idx.text + "' steps backwards; write the recurrence as T[v+1] = f(T[v])");
        if (!idx.is_constant()) {
          if (std::find(seen.begin(), seen.end(), idx.var()) != seen.end())
            throw Error(idx.loc, "index '" + rank(idx.var()).var + "' appears twice on the left of " + lhs.name);
          seen.push_back(idx.var());
        }
      }
      if (it == c_.tensors.end()) {
        TensorInfo t;
        t.name = lhs.name;
        t.loc = lhs.loc;
        t.dim_vars.assign(lhs.indices.size(), -1);
        t.extents.assign(lhs.indices.size(), 0);
        t.iterative.assign(lhs.indices.size(), false);
        it = c_.tensors.emplace(lhs.name, t).first;
        c_.tensor_order.push_back(lhs.name);
      }
      TensorInfo& t = it->second;
      if (t.dim_vars.size() != lhs.indices.size())
        throw Error(lhs.loc, lhs.name + " written with " + std::to_string(lhs.indices.size()) + " indices here but " +
                                 std::to_string(t.dim_vars.size()) + " at " + t.loc.str());
      for (std::size_t d = 0; d < lhs.indices.size(); ++d) {
        const AffineIndex& idx = lhs.indices[d];
        std::int64_t top;
        if (idx.is_constant()) {
          top = idx.constant;
        } else {
          int v = idx.var();
          if (t.dim_vars[d] >= 0 && t.dim_vars[d] != v)
            throw Error(idx.loc, "dimension " + std::to_string(d + 1) + " of " + lhs.name + " is indexed by '" +
                                     rank(v).var + "' here but by '" + rank(t.dim_vars[d]).var + "' at " +
                                     t.loc.str());
          t.dim_vars[d] = v;
          if (idx.constant != 0) t.iterative[d] = true;
          top = c_.var_range(e, v) - 1 + idx.constant;
        }
        t.extents[d] = std::max(t.extents[d], top + 1);
      }
      t.definitions.push_back(i);
    }
    for (auto& [name, t] : c_.tensors) {
      for (std::size_t d = 0; d < t.dim_vars.size(); ++d)
        if (t.dim_vars[d] < 0)
          throw Error(t.loc, "dimension " + std::to_string(d + 1) + " of " + name +
                                 " is only ever written at constant indices; index it by a rank variable somewhere");
    }
  }

  void check_stops() {
    for (const auto& s : c_.stops) {
      bool used = false;
      for (const auto& [name, t] : c_.tensors)
        for (std::size_t d = 0; d < t.dim_vars.size(); ++d) used = used || (t.iterative[d] && t.dim_vars[d] == s.var);
      if (!used)
        throw Error(s.loc, "stop condition for '" + rank(s.var).var + "' but no Einsum iterates it; write a recurrence T[" +
                               rank(s.var).var + "+1] = f(T[" + rank(s.var).var + "])");
    }
  }

  // Each element of a defined tensor must be written by exactly one Einsum.
  void check_overlap_and_coverage() {
    for (auto& [name, t] : c_.tensors) {
      if (t.is_input) continue;
      auto written = [&](std::size_t def, std::size_t d) {
        const Einsum& e = c_.einsums[def];
        const AffineIndex& idx = e.lhs.indices[d];
        if (idx.is_constant()) return std::make_pair(idx.constant, idx.constant);
        return std::make_pair(idx.constant, idx.constant + c_.var_range(e, idx.var()) - 1);
      };
      std::int64_t total = 0;
      for (std::size_t a = 0; a < t.definitions.size(); ++a) {
        std::int64_t count = 1;
        for (std::size_t d = 0; d < t.dim_vars.size(); ++d) {
          auto w = written(t.definitions[a], d);
          count *= w.second - w.first + 1;
        }
        total += count;
        for (std::size_t b = 0; b < a; ++b) {
          bool overlap = true;
          for (std::size_t d = 0; d < t.dim_vars.size(); ++d) {
            auto x = written(t.definitions[a], d), y = written(t.definitions[b], d);
            overlap = overlap && x.first <= y.second && y.first <= x.second;
          }
          if (overlap) {
            const Einsum& ea = c_.einsums[t.definitions[a]];
            const Einsum& eb = c_.einsums[t.definitions[b]];
            throw Error(ea.lhs.loc, "'" + index_text(ea.lhs) + "' writes elements of " + name +
                                        " already written by '" + index_text(eb.lhs) + "' at " + eb.loc.str());
          }
        }
      }
      std::int64_t needed = 1;
      for (auto x : t.extents) needed *= x;
      if (total != needed) {
        const Einsum& first = c_.einsums[t.definitions.front()];
        std::string hint;
        for (std::size_t d = 0; d < t.iterative.size(); ++d)
          if (t.iterative[d]) hint = "; an iterative rank needs an initialisation such as `" + name + "[...0...] = 0`";
        throw Error(first.lhs.loc, "only " + std::to_string(total) + " of the " + std::to_string(needed) +
                                       " elements of " + name + " are defined" + hint);
      }
    }
  }

  void check_reads(const Einsum& e) {
    std::vector<const TensorRef*> refs;
    collect_refs(e.rhs, refs);
    std::vector<int> right_vars;
    auto range = [&](int v) { return c_.var_range(e, v); };
    for (const TensorRef* r : refs) {
      auto it = c_.tensors.find(r->name);
      if (it == c_.tensors.end()) {
        std::vector<std::string> names(c_.tensor_order.begin(), c_.tensor_order.end());
        std::string hint = nearest_name(r->name, names);
        throw Error(r->loc, "undefined tensor '" + r->name + "'" +
                                (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                "; declare it with `input " + r->name + "[...]` or define it with an Einsum");
      }
      const TensorInfo& t = it->second;
      if (r->indices.size() != t.dim_vars.size())
        throw Error(r->loc, r->name + " has " + std::to_string(t.dim_vars.size()) + " dimension(s) but is indexed with " +
                                std::to_string(r->indices.size()) + " here");
      for (std::size_t d = 0; d < r->indices.size(); ++d) {
        const AffineIndex& idx = r->indices[d];
        collect_vars(idx, right_vars);
        const Rank& dim_rank = rank(t.dim_vars[d]);
        if (idx.is_var_plus_offset() && idx.constant == 0) {
          const Rank& used = rank(idx.var());
          if (used.size != dim_rank.size)
            throw Error(idx.loc, "index '" + used.var + "' (rank " + used.name + ", size " + std::to_string(used.size) +
                                     ") used for dimension " + std::to_string(d + 1) + " of " + r->name + " (rank " +
                                     dim_rank.name + ", size " + std::to_string(dim_rank.size) +
                                     "): rank used with inconsistent sizes");
        }
        auto [lo, hi] = index_bounds(idx, range);
        if (lo < 0 || hi >= t.extents[d])
          throw Error(idx.loc, "index '" + idx.text + "' takes values " + std::to_string(lo) + ".." +
                                   std::to_string(hi) + " but dimension " + std::to_string(d + 1) + " of " + r->name +
                                   " (rank " + dim_rank.name + ") has indices 0.." +
                                   std::to_string(t.extents[d] - 1));
      }
    }
    collect_index_values(e.rhs, right_vars);
    if (!is_init(e)) {
      for (const auto& idx : e.lhs.indices)
        if (std::find(right_vars.begin(), right_vars.end(), idx.var()) == right_vars.end())
          throw Error(idx.loc, "index '" + rank(idx.var()).var + "' on the left of " + e.lhs.name +
                                   " is not produced by the right-hand side (no operand is indexed by it)");
    }
    std::vector<int> reduced = c_.reduced_vars(e);
    for (const auto& rc : e.reduces)
      if (std::find(reduced.begin(), reduced.end(), rc.var) == reduced.end())
        throw Error(rc.loc, "reduce_" + rank(rc.var).var + " given but '" + rank(rc.var).var +
                                "' is not reduced here (it must appear on the right and not on the left)");
  }

  // Statement graph: S -> D when S reads a tensor D writes. A cycle is legal only when it
  // steps back along an iterative rank (RD[m1+1] <- SPD[m1] <- RD[m1]): there must be a
  // variable v such that every edge in the strongly connected component moves v by <= 0
  // and the edges moving it by exactly 0 form no cycle.
  struct Edge {
    std::size_t to;
    std::map<int, std::int64_t> delta;  // per variable: read index minus writer's instance
    const TensorRef* ref;
  };

  void check_cycles() {
    const std::size_t n = c_.einsums.size();
    std::vector<std::vector<Edge>> edges(n);
    for (std::size_t s = 0; s < n; ++s) {
      const Einsum& e = c_.einsums[s];
      std::map<int, std::int64_t> own;  // this statement's left variables (instances)
      for (const auto& idx : e.lhs.indices)
        if (!idx.is_constant()) own[idx.var()] = idx.constant;
      std::vector<const TensorRef*> refs;
      collect_refs(e.rhs, refs);
      for (const TensorRef* r : refs) {
        const TensorInfo& t = c_.tensors.at(r->name);
        for (std::size_t def : t.definitions) {
          const Einsum& d = c_.einsums[def];
          if (is_init(d) && refs_of(d).empty()) continue;  // constant initialisations read nothing
          Edge edge{def, {}, r};
          for (std::size_t k = 0; k < r->indices.size(); ++k) {
            const AffineIndex& w = d.lhs.indices[k];
            const AffineIndex& rd = r->indices[k];
            if (w.is_constant() || !rd.is_var_plus_offset() || rd.var() != w.var()) continue;
            auto mine = own.find(rd.var());
            if (mine == own.end()) continue;
            edge.delta[rd.var()] = rd.constant - w.constant;  // writer's instance minus ours
          }
          edges[s].push_back(edge);
        }
      }
    }
    // Tarjan's strongly connected components.
    std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    int counter = 0, ncomp = 0;
    std::function<void(std::size_t)> visit = [&](std::size_t v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = true;
      for (const auto& ed : edges[v]) {
        if (index[ed.to] < 0) { visit(ed.to); low[v] = std::min(low[v], low[ed.to]); }
        else if (on_stack[ed.to]) low[v] = std::min(low[v], index[ed.to]);
      }
      if (low[v] == index[v]) {
        while (true) {
          std::size_t w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp[w] = ncomp;
          if (w == v) break;
        }
        ++ncomp;
      }
    };
    for (std::size_t v = 0; v < n; ++v)
      if (index[v] < 0) visit(v);
    for (int k = 0; k < ncomp; ++k) {
      std::vector<std::size_t> members;
      for (std::size_t v = 0; v < n; ++v)
        if (comp[v] == k) members.push_back(v);
      bool self_loop = false;
      for (const auto& ed : edges[members[0]]) self_loop = self_loop || ed.to == members[0];
      if (members.size() == 1 && !self_loop) continue;
      if (!well_founded(members, edges, comp, k)) report_cycle(members, edges, comp, k);
    }
  }

  std::vector<const TensorRef*> refs_of(const Einsum& e) const {
    std::vector<const TensorRef*> refs;
    collect_refs(e.rhs, refs);
    return refs;
  }

  bool well_founded(const std::vector<std::size_t>& members, const std::vector<std::vector<Edge>>& edges,
                    const std::vector<int>& comp, int k) const {
    for (std::size_t v = 0; v < c_.ranks.size(); ++v) {
      int var = static_cast<int>(v);
      bool ok = true;
      std::vector<std::vector<std::size_t>> zero(c_.einsums.size());
      for (std::size_t s : members)
        for (const auto& ed : edges[s]) {
          if (comp[ed.to] != k) continue;
          auto it = ed.delta.find(var);
          if (it == ed.delta.end() || it->second > 0) ok = false;
          else if (it->second == 0) zero[s].push_back(ed.to);
        }
      if (ok && !has_cycle(members, zero)) return true;
    }
    return false;
  }

  static bool has_cycle(const std::vector<std::size_t>& members, const std::vector<std::vector<std::size_t>>& g) {
    std::vector<int> state(g.size(), 0);
    std::function<bool(std::size_t)> dfs = [&](std::size_t v) {
      state[v] = 1;
      for (std::size_t w : g[v]) {
        if (state[w] == 1) return true;
        if (state[w] == 0 && dfs(w)) return true;
      }
      state[v] = 2;
      return false;
    };
    for (std::size_t m : members)
      if (state[m] == 0 && dfs(m)) return true;
    return false;
  }

  [[noreturn]] void report_cycle(const std::vector<std::size_t>& members, const std::vector<std::vector<Edge>>& edges,
                                 const std::vector<int>& comp, int k) const {
    // Walk edges inside the component from its first statement until a statement repeats.
    std::vector<std::size_t> path{members[0]};
    const TensorRef* culprit = nullptr;
    while (true) {
      const Edge* step = nullptr;
      for (const auto& ed : edges[path.back()])
        if (comp[ed.to] == k) { step = &ed; break; }
      if (!culprit) culprit = step->ref;
      auto seen = std::find(path.begin(), path.end(), step->to) - path.begin();
      path.push_back(step->to);
      if (seen != static_cast<std::ptrdiff_t>(path.size()) - 1) {
        path.erase(path.begin(), path.begin() + seen);
        break;
      }
    }
    std::string chain;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const Einsum& e = c_.einsums[path[i]];
      chain += (i ? " <- " : "") + e.lhs.name + " (line " + std::to_string(e.loc.line) + ")";
    }
    throw Error(culprit->loc, "cyclic definition: " + chain +
                                  "; a tensor may only use its own earlier iterations (T[v+1] = f(T[v]))");
  }

  Cascade& c_;
};

}  // namespace

void check_cascade(Cascade& c) { Checker(c).run(); }

}  // namespace einsum
}  // namespace streamsim
