#include "graphs/einsum/compiler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

// A lowered value: an output port carrying a stream, or a constant.
struct Val {
  std::string ep;          // "unit.port"
  std::int64_t width = 1;
  std::int64_t depth = 2;  // depth of the channel that will carry it to its consumer
  bool constant = false;
  double value = 0;
  std::string reason;      // why depth > 2
};

class Compiler {
 public:
  Compiler(const Cascade& c, const CompileOptions& o) : c_(c), o_(o) {}

  CompiledCascade run() {
    for (const auto& name : o_.order) order_.push_back(rank_id(name));
    out_.reference = evaluate(c_, o_.inputs);
    for (const auto& e : c_.einsums) check_supported(e);
    count_consumers();
    for (std::size_t i : topological()) lower(c_.einsums[i]);
    out_.graph.validate();
    return std::move(out_);
  }

 private:
  int rank_id(const std::string& name) const {
    for (std::size_t i = 0; i < c_.ranks.size(); ++i)
      if (c_.ranks[i].name == name || c_.ranks[i].var == name) return static_cast<int>(i);
    throw Error("--order names unknown rank '" + name + "' (cascade " + c_.file + ")");
  }
  bool is_loop(int r) const { return std::find(order_.begin(), order_.end(), r) != order_.end(); }
  std::int64_t size(int r) const { return c_.ranks[static_cast<std::size_t>(r)].size; }
  std::string rname(int r) const { return c_.ranks[static_cast<std::size_t>(r)].name; }

  [[noreturn]] void unsupported(const Einsum& e, const std::string& why) const {
    throw Error(e.loc, "cannot compile `" + e.text + "`: " + why);
  }

  void check_supported(const Einsum& e) const {
    for (const auto& idx : e.lhs.indices)
      if (!idx.is_var_plus_offset() || idx.constant != 0)
        unsupported(e, "iterative ranks and initialisations are not compiled yet (use the evaluator)");
    std::vector<const TensorRef*> refs;
    collect_refs(e.rhs, refs);
    for (const TensorRef* r : refs) {
      const TensorInfo& t = c_.tensor(r->name);
      for (std::size_t d = 0; d < r->indices.size(); ++d) {
        if (r->indices[d].terms.size() > 1)
          unsupported(e, "rank splits (" + r->indices[d].text + ") are not compiled yet (use the evaluator)");
        if (!r->indices[d].is_var_plus_offset() || r->indices[d].constant != 0 || r->indices[d].var() != t.dim_vars[d])
          unsupported(e, "index '" + r->indices[d].text + "' of " + r->name + " is not the dimension's own variable");
      }
    }
  }

  // Streamed ranks of a tensor, outermost first, and its vector rank (-1 if none).
  std::vector<int> loops_of(const std::vector<int>& dims) const {
    std::vector<int> out;
    for (int r : order_)
      if (std::find(dims.begin(), dims.end(), r) != dims.end()) out.push_back(r);
    return out;
  }
  int vec_of(const std::vector<int>& dims, const Einsum* e) const {
    int v = -1;
    for (int r : dims)
      if (!is_loop(r)) {
        if (v >= 0 && v != r && e) unsupported(*e, "two vector ranks (" + rname(v) + ", " + rname(r) + "); stream one of them");
        v = r;
      }
    return v;
  }

  void count_consumers() {
    for (const auto& e : c_.einsums) {
      std::vector<const TensorRef*> refs;
      collect_refs(e.rhs, refs);
      for (const TensorRef* r : refs) ++consumers_[r->name];
    }
  }

  std::vector<std::size_t> topological() const {
    std::vector<std::size_t> out;
    std::set<std::string> done;
    for (const auto& in : c_.inputs) done.insert(in.name);
    std::vector<bool> used(c_.einsums.size(), false);
    while (out.size() < c_.einsums.size()) {
      for (std::size_t i = 0; i < c_.einsums.size(); ++i) {
        if (used[i]) continue;
        std::vector<const TensorRef*> refs;
        collect_refs(c_.einsums[i].rhs, refs);
        bool ready = std::all_of(refs.begin(), refs.end(), [&](const TensorRef* r) { return done.count(r->name) > 0; });
        if (ready) { used[i] = true; out.push_back(i); done.insert(c_.einsums[i].lhs.name); }
      }
    }
    return out;
  }

  std::string unit(const std::string& base, const std::string& type, const Params& p) {
    std::string name = base;
    for (int n = 2; out_.graph.find_unit(name) >= 0; ++n) name = base + "_" + std::to_string(n);
    out_.graph.add_unit(name, type, p);
    return name;
  }

  void connect(const Val& from, const std::string& to) {
    out_.graph.connect(from.ep, to, ChannelTiming{from.depth, 1, 1});
    if (from.depth > 2 && !from.reason.empty())
      out_.sized_fifos.push_back(SizedFifo{from.ep + "->" + to, from.depth, from.reason});
  }

  // Values of a tensor in stream order: loops outermost first, then the vector rank.
  std::vector<double> stream_values(const std::string& name, const std::vector<int>& loops, int vec) const {
    const TensorInfo& t = c_.tensor(name);
    const TensorValues& v = out_.reference[name];
    std::vector<int> walk = loops;
    if (vec >= 0) walk.push_back(vec);
    std::vector<double> out;
    std::vector<std::int64_t> at(walk.size(), 0), idx(t.dim_vars.size(), 0);
    std::function<void(std::size_t)> rec = [&](std::size_t level) {
      if (level == walk.size()) {
        for (std::size_t d = 0; d < t.dim_vars.size(); ++d) {
          auto pos = std::find(walk.begin(), walk.end(), t.dim_vars[d]) - walk.begin();
          idx[d] = at[static_cast<std::size_t>(pos)];
        }
        out.push_back(v.at(idx));
        return;
      }
      for (at[level] = 0; at[level] < size(walk[level]); ++at[level]) rec(level + 1);
    };
    rec(0);
    return out;
  }

  // The operand stream of `r`, expanded to the Einsum's streamed ranks `loops`.
  Val leaf(const Einsum& e, const TensorRef& r, const std::vector<int>& loops) {
    const TensorInfo& t = c_.tensor(r.name);
    std::vector<int> mine = loops_of(t.dim_vars);
    int vec = vec_of(t.dim_vars, &e);
    std::int64_t width = vec >= 0 ? size(vec) : 1;
    // mine must be a subsequence of loops; missing ranks before it (outer) or after it (inner).
    std::size_t first = loops.size(), last = 0;
    for (int m : mine) {
      auto pos = static_cast<std::size_t>(std::find(loops.begin(), loops.end(), m) - loops.begin());
      first = std::min(first, pos);
      last = std::max(last, pos + 1);
    }
    if (mine.empty()) first = last = 0;
    if (last - first != mine.size())
      unsupported(e, r.name + " lacks a streamed rank between two it has; reorder --order");
    std::int64_t outer = 1, inner = 1;
    for (std::size_t i = 0; i < first; ++i) outer *= size(loops[i]);
    for (std::size_t i = last; i < loops.size(); ++i) inner *= size(loops[i]);
    Val v;
    v.width = width;
    if (t.is_input) {
      ++out_.input_streams[r.name];
      std::string src = unit(r.name, "source",
                             Params().set("kind", "list").set("width", static_cast<std::int64_t>(width))
                                 .set("values", stream_values(r.name, mine, vec)).set("repeat", outer));
      v.ep = src + ".out";
    } else {
      if (outer > 1) unsupported(e, r.name + " would have to be replayed for every outer iteration; stream " +
                                        "its ranks outermost");
      auto& eps = endpoints_[r.name];
      v.ep = eps.back();
      eps.pop_back();
      auto pending = pending_depth_.find(v.ep);
      if (pending != pending_depth_.end()) v.depth = std::max(v.depth, pending->second.depth);
    }
    if (inner > 1) {
      std::string rep = unit(r.name + "_rep", "repeat", Params().set("count", inner).set("width", width));
      connect(v, rep + ".in");
      v = Val{rep + ".out", width};
    }
    return v;
  }

  Val map1(const std::string& op, Val a, Params p = Params()) {
    std::string m = unit("map_" + op, "map", p.set("op", op).set("width", a.width));
    connect(a, m + ".in");
    return Val{m + ".out", a.width};
  }
  Val map2(const std::string& op, Val a, Val b) {
    if (a.width == 1 && b.width > 1) {
      if (op == "add" || op == "mul" || op == "max" || op == "min") std::swap(a, b);
      else if (op == "sub") return map1("neg", map2("sub", b, a));
      else return map2("mul", map1("recip", b), a);  // a / b with a scalar a
    }
    Params p = Params().set("op", op).set("width", a.width);
    if (b.width != a.width) p.set("b_scalar", true);
    std::string m = unit("map_" + op, "map", p);
    connect(a, m + ".a");
    connect(b, m + ".b");
    return Val{m + ".out", a.width};
  }

  Val expr(const Einsum& e, const Expr& x, const std::vector<int>& loops, const std::map<const TensorRef*, Val>& leaves) {
    switch (x.kind) {
      case Expr::Kind::Number: return Val{"", 1, 2, true, x.number};
      case Expr::Kind::Tensor: return leaves.at(&x.ref);
      case Expr::Kind::Negate: {
        Val a = expr(e, x.args[0], loops, leaves);
        if (a.constant) return Val{"", 1, 2, true, -a.value};
        return map1("neg", a);
      }
      case Expr::Kind::Call: {
        std::vector<Val> args;
        for (const auto& a : x.args) args.push_back(expr(e, a, loops, leaves));
        static const std::set<std::string> unary{"exp", "log", "sqrt", "abs", "relu"};
        if (unary.count(x.func) && !args[0].constant) return map1(x.func, args[0]);
        if ((x.func == "max" || x.func == "min") && !args[0].constant && !args[1].constant)
          return map2(x.func, args[0], args[1]);
        unsupported(e, "function '" + x.func + "' with these operands has no library unit");
      }
      case Expr::Kind::Binary: {
        Val a = expr(e, x.args[0], loops, leaves), b = expr(e, x.args[1], loops, leaves);
        const char op = x.op;
        if (a.constant && b.constant) {
          double r = op == '+' ? a.value + b.value : op == '-' ? a.value - b.value : op == '*' ? a.value * b.value : a.value / b.value;
          return Val{"", 1, 2, true, r};
        }
        if (b.constant) {
          if (op == '+') return map1("offset", a, Params().set("constant", b.value));
          if (op == '-') return map1("offset", a, Params().set("constant", -b.value));
          if (op == '*') return map1("scale", a, Params().set("factor", b.value));
          return map1("scale", a, Params().set("factor", 1.0 / b.value));
        }
        if (a.constant) {
          if (op == '+') return map1("offset", b, Params().set("constant", a.value));
          if (op == '-') return map1("offset", map1("neg", b), Params().set("constant", a.value));
          if (op == '*') return map1("scale", b, Params().set("factor", a.value));
          return map1("scale", map1("recip", b), Params().set("factor", a.value));
        }
        const char* name = op == '+' ? "add" : op == '-' ? "sub" : op == '*' ? "mul" : "div";
        return map2(name, a, b);
      }
    }
    unsupported(e, "expression");
  }

  // Derived tensors an operand depends on (itself included); inputs excluded.
  std::set<std::string> ancestry(const std::string& name) {
    auto it = ancestry_.find(name);
    if (it != ancestry_.end()) return it->second;
    std::set<std::string> out;
    const TensorInfo& t = c_.tensor(name);
    if (!t.is_input) {
      out.insert(name);
      for (std::size_t d : t.definitions) {
        std::vector<const TensorRef*> refs;
        collect_refs(c_.einsums[d].rhs, refs);
        for (const TensorRef* r : refs)
          for (const auto& a : ancestry(r->name)) out.insert(a);
      }
    }
    return ancestry_[name] = out;
  }

  void lower(const Einsum& e) {
    const TensorInfo& out_t = c_.tensor(e.lhs.name);
    std::vector<int> left = out_t.dim_vars;
    std::vector<int> reduced = c_.reduced_vars(e);
    std::vector<int> all = left;
    all.insert(all.end(), reduced.begin(), reduced.end());
    std::vector<int> loops = loops_of(all);
    std::vector<int> red_loops, red_vec;
    for (int r : reduced) (is_loop(r) ? red_loops : red_vec).push_back(r);
    // Reduced streamed ranks must be the innermost loops of this Einsum.
    for (std::size_t i = 0; i < loops.size(); ++i) {
      bool is_red = std::find(red_loops.begin(), red_loops.end(), loops[i]) != red_loops.end();
      if (i < loops.size() - red_loops.size() && is_red)
        unsupported(e, "reduced rank " + rname(loops[i]) + " is not innermost in --order");
    }
    std::vector<const TensorRef*> refs;
    collect_refs(e.rhs, refs);
    std::map<const TensorRef*, Val> leaves;
    for (const TensorRef* r : refs) leaves[r] = leaf(e, *r, loops);
    size_fifos(e, refs, loops, leaves);
    Val v;
    if (!red_vec.empty()) {
      if (red_vec.size() > 1 || c_.reduce_op(e, red_vec[0]) != "sum" || e.rhs.kind != Expr::Kind::Binary ||
          e.rhs.op != '*' || e.rhs.args[0].kind != Expr::Kind::Tensor || e.rhs.args[1].kind != Expr::Kind::Tensor)
        unsupported(e, "a reduction over vector rank " + rname(red_vec[0]) + " must be a sum of A*B (a dot product)");
      Val a = leaves.at(&e.rhs.args[0].ref), b = leaves.at(&e.rhs.args[1].ref);
      std::int64_t w = size(red_vec[0]);
      if (a.width != w || b.width != w) unsupported(e, "dot product operands must both be " + rname(red_vec[0]) + "-wide");
      std::string d = unit("dot_" + e.lhs.name, "dot", Params().set("width", w));
      connect(a, d + ".a");
      connect(b, d + ".b");
      // Full rate needs depth >= latency + R at the dot's output (timing-model.md).
      std::int64_t lat = 1;
      while ((std::int64_t{1} << (lat - 1)) < w) ++lat;
      v = Val{d + ".out", 1, lat + 2};
    } else {
      v = expr(e, e.rhs, loops, leaves);
      if (v.constant) unsupported(e, "a constant Einsum has no stream");
    }
    if (!red_loops.empty()) {
      std::string op = c_.reduce_op(e, red_loops[0]);
      std::int64_t group = 1;
      for (int r : red_loops) {
        if (c_.reduce_op(e, r) != op) unsupported(e, "different reduction operators on streamed ranks");
        group *= size(r);
      }
      std::string red = unit("reduce_" + e.lhs.name, "reduce",
                             Params().set("op", op).set("group", group).set("width", v.width));
      connect(v, red + ".in");
      v = Val{red + ".out", v.width};
    }
    int out_vec = vec_of(left, &e);
    if ((out_vec >= 0 ? size(out_vec) : 1) != v.width)
      unsupported(e, "the result is " + std::to_string(v.width) + " wide but " + e.lhs.name + " needs " +
                         (out_vec >= 0 ? rname(out_vec) : std::string("scalar")) + " tokens");
    publish(e.lhs.name, v, loops_of(left), out_vec);
  }

  // An operand that the Einsum must hold while another operand of the same fiber is still
  // being reduced (the other is repeated over ranks it lacks): its FIFO must hold that many
  // tokens. This is the pass analysis's read-after-full-read dependency, made concrete.
  void size_fifos(const Einsum& e, const std::vector<const TensorRef*>& refs, const std::vector<int>& loops,
                  std::map<const TensorRef*, Val>& leaves) {
    for (const TensorRef* w : refs) {
      std::vector<int> w_loops = loops_of(c_.tensor(w->name).dim_vars);
      std::vector<int> missing;
      for (int r : loops)
        if (std::find(w_loops.begin(), w_loops.end(), r) == w_loops.end()) missing.push_back(r);
      if (missing.empty()) continue;
      auto w_anc = ancestry(w->name);
      for (const TensorRef* u : refs) {
        if (u == w) continue;
        std::vector<int> u_loops = loops_of(c_.tensor(u->name).dim_vars);
        std::int64_t held = 1;
        std::string over;
        for (int r : missing)
          if (std::find(u_loops.begin(), u_loops.end(), r) != u_loops.end()) {
            held *= size(r);
            over += (over.empty() ? "" : ",") + rname(r);
          }
        if (held == 1) continue;
        auto u_anc = ancestry(u->name);
        bool shared = std::any_of(u_anc.begin(), u_anc.end(), [&](const std::string& a) { return w_anc.count(a) > 0; });
        if (!shared) continue;
        Val& lv = leaves.at(u);
        std::int64_t depth = held + o_.fiber_slack;
        if (depth > lv.depth) {
          lv.depth = depth;
          lv.reason = e.lhs.name + " (line " + std::to_string(e.loc.line) + ") needs " + w->name +
                      ", complete only after a full " + over + " fiber of " + u->name + ": an extra pass buffered on chip";
        }
      }
    }
  }

  void publish(const std::string& name, const Val& v, const std::vector<int>& loops, int vec) {
    int n = consumers_[name];
    if (n == 0) {
      std::string s = unit(name + "_sink", "sink",
                           Params().set("width", v.width).set("expect", stream_values(name, loops, vec))
                               .set("tolerance", 1e-9));
      connect(v, s + ".in");
      out_.sinks[name] = s;
      return;
    }
    if (n == 1) {
      endpoints_[name] = {v.ep};
      pending_depth_[v.ep] = v;
      return;
    }
    std::string bc = unit(name + "_bc", "broadcast", Params().set("outputs", n).set("width", v.width));
    connect(v, bc + ".in");
    for (int i = n - 1; i >= 0; --i) endpoints_[name].push_back(bc + ".out" + std::to_string(i));
  }

  const Cascade& c_;
  const CompileOptions& o_;
  std::vector<int> order_;
  CompiledCascade out_;
  std::map<std::string, int> consumers_;
  std::map<std::string, std::vector<std::string>> endpoints_;
  std::map<std::string, Val> pending_depth_;
  std::map<std::string, std::set<std::string>> ancestry_;
};

}  // namespace

std::string CompiledCascade::report() const {
  std::ostringstream o;
  o << graph.unit_count() << " units, " << graph.channel_count() << " channels\n";
  for (const auto& [in, n] : input_streams) o << "input " << in << " streamed " << n << (n == 1 ? " time\n" : " times\n");
  if (sized_fifos.empty()) o << "no FIFO deeper than the default: every Einsum streams (1 pass)\n";
  for (const auto& f : sized_fifos) o << "FIFO " << f.channel << " depth " << f.depth << ": " << f.reason << "\n";
  for (const auto& [t, s] : sinks) o << "output " << t << " -> sink " << s << "\n";
  return o.str();
}

CompiledCascade compile_cascade(const Cascade& c, const CompileOptions& options) { return Compiler(c, options).run(); }

}  // namespace einsum
}  // namespace streamsim
