#include "graphs/einsum/compiler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

#include "graphs/einsum/functions.h"
#include "graphs/einsum/pass_analysis.h"
#include "graphs/einsum/recurrence.h"
#include "sim/core/error.h"
#include "sim/core/plural.h"

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
  SizedFifo sized;         // why depth > 2 (sized.kind empty: no reason recorded)
  std::int64_t t = 0;      // latency from the stream's origin (a source or a fan-out), in cycles
  bool source = false;     // straight from a source (a source may stall without losing rate)
};

// The output of a unit fed by `in` with latency `lat`.
Val after(const std::string& ep, std::int64_t width, const Val& in, std::int64_t lat = 1) {
  Val v{ep, width};
  v.t = in.t + lat;
  v.source = in.source;
  return v;
}

// Two operands meeting in one unit: the earlier one waits in its FIFO for the later one, so
// its FIFO needs the latency difference in extra slots to keep one token per cycle (a source
// just stalls, without losing rate).
void balance(Val& a, Val& b) {
  if (a.t < b.t && !a.source) a.depth = std::max(a.depth, b.t - a.t + 2);
  if (b.t < a.t && !b.source) b.depth = std::max(b.depth, a.t - b.t + 2);
}

// How an Einsum reads a tensor: by its own variables (Plain) or, for an iterative tensor
// T over v, the iterate after the step (Next, T[v+1]), before it (Prev, T[v]) or the last
// one (Final, T[B]). Each kind is its own stream in the graph.
enum class Read { Plain, Next, Prev, Final };

const char* read_suffix(Read k) {
  switch (k) {
    case Read::Next: return "@next";
    case Read::Prev: return "@prev";
    case Read::Final: return "@final";
    default: return "";
  }
}

class Compiler {
 public:
  Compiler(const Cascade& c, const CompileOptions& o) : c_(c), o_(o) {}

  CompiledCascade run() {
    find_views();
    recs_ = find_fold_recurrences(c_);
    for (const auto& [name, r] : recs_) {
      skip_.insert(r.init_einsum);
      skip_.insert(r.absorbed.begin(), r.absorbed.end());
      step_of_[r.einsum] = name;
    }
    for (const auto& name : o_.order) {
      int r = rank_id(name);
      auto parts = split_parts_.find(r);
      if (parts == split_parts_.end()) order_.push_back(r);
      else order_.insert(order_.end(), parts->second.begin(), parts->second.end());
    }
    for (int r : order_) out_.order.push_back(c_.ranks[static_cast<std::size_t>(r)].var);
    passes_ = analyse_passes(c_);
    out_.reference = evaluate(c_, o_.inputs);
    std::vector<std::size_t> items;
    for (std::size_t i = 0; i < c_.einsums.size(); ++i)
      if (!skip_.count(i) && !views_.count(c_.einsums[i].lhs.name)) items.push_back(i);
    for (std::size_t i : items)
      for (const TensorRef* r : item_refs(i)) {
        std::string k = key(c_.einsums[i], *r);
        if (!is_source(r->name)) ++consumers_[k];
      }
    std::vector<std::size_t> topo = topological(items);
    assign_slots(topo);
    for (std::size_t i : topo) {
      auto rec = step_of_.find(i);
      if (rec != step_of_.end()) lower_recurrence(recs_.at(rec->second));
      else lower(c_.einsums[i]);
    }
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
  std::string vname(int r) const { return c_.ranks[static_cast<std::size_t>(r)].var; }
  bool is_source(const std::string& t) const { return c_.tensor(t).is_input || views_.count(t) > 0; }

  [[noreturn]] void unsupported(const Einsum& e, const std::string& why) const {
    throw Error(e.loc, "cannot compile `" + e.text + "`: " + why);
  }

  // A rank split of an input, `BK[e,m1,m0] = K[e, m1*M0+m0]`, is a view: a source that
  // streams K in (m1, m0) order. Its coordinates replace M in --order.
  void find_views() {
    for (std::size_t i = 0; i < c_.einsums.size(); ++i) {
      const Einsum& e = c_.einsums[i];
      if (e.rhs.kind != Expr::Kind::Tensor || !c_.tensor(e.rhs.ref.name).is_input) continue;
      bool split = false;
      for (const auto& idx : e.rhs.ref.indices) split |= idx.terms.size() > 1;
      if (!split) continue;
      for (const auto& idx : e.lhs.indices)
        if (!idx.is_var_plus_offset() || idx.constant != 0) unsupported(e, "a rank split must define every element");
      views_[e.lhs.name] = e.rhs.ref.name;
      const InputDecl* in = nullptr;
      for (const auto& d : c_.inputs)
        if (d.name == e.rhs.ref.name) in = &d;
      for (std::size_t d = 0; d < e.rhs.ref.indices.size(); ++d) {
        auto terms = e.rhs.ref.indices[d].terms;
        if (terms.size() < 2) continue;
        // Outer coordinate first. A chunk of size 1 (M0 = 1) ties the coefficients: the
        // size-1 coordinate is then the inner one (the stream order is the same either way).
        std::sort(terms.begin(), terms.end(), [&](const auto& a, const auto& b) {
          if (a.second != b.second) return a.second > b.second;
          return size(a.first) > size(b.first);
        });
        std::vector<int>& parts = split_parts_[in->ranks[d]];
        parts.clear();
        for (const auto& t : terms) parts.push_back(t.first);
        for (std::size_t k = 1; k < terms.size(); ++k) chunk_of_[terms[k].first] = in->ranks[d];
      }
    }
  }

  // Streamed ranks of an item's iteration space.
  std::vector<int> item_loops(std::size_t i) const {
    const Einsum& e = c_.einsums[i];
    std::vector<int> all = c_.tensor(e.lhs.name).dim_vars;
    if (!step_of_.count(i)) {
      std::vector<int> reduced = c_.reduced_vars(e);
      all.insert(all.end(), reduced.begin(), reduced.end());
    }
    return loops_of(all);
  }

  // Which broadcast output each read takes: in lowering order, except that reads held in a
  // deep FIFO come first (out0), as in the hand-built SDPA graphs, where the broadcast feeds
  // the long FIFO before the reduction. This order fixes the deadlock threshold at
  // (elements held) - 1 under the engines' progressive dequeue (docs/sdpa.md).
  void assign_slots(const std::vector<std::size_t>& topo) {
    std::map<std::string, std::vector<const TensorRef*>> reads;
    std::set<const TensorRef*> held;
    for (std::size_t i : topo) {
      auto refs = item_refs(i);
      for (const auto& [u, h] : held_reads(refs, item_loops(i))) held.insert(u);
      for (const TensorRef* r : refs)
        if (!is_source(r->name)) reads[key(c_.einsums[i], *r)].push_back(r);
    }
    for (auto& [k, rs] : reads) {
      std::stable_partition(rs.begin(), rs.end(), [&](const TensorRef* r) { return held.count(r) > 0; });
      for (std::size_t s = 0; s < rs.size(); ++s) slot_[rs[s]] = s;
    }
  }

  // The reads of an item: a recurrence's fold operands (its state is the fold's accumulator).
  std::vector<const TensorRef*> item_refs(std::size_t i) const {
    std::vector<const TensorRef*> refs;
    auto rec = step_of_.find(i);
    if (rec == step_of_.end()) {
      collect_refs(c_.einsums[i].rhs, refs);
    } else {
      const FoldRecurrence& r = recs_.at(rec->second);
      collect_refs(r.x, refs);
      if (r.op == "rescale_sum") collect_refs(r.c, refs);
    }
    return refs;
  }

  Read read_kind(const Einsum& e, const TensorRef& r) const {
    const TensorInfo& t = c_.tensor(r.name);
    auto rec = recs_.find(r.name);
    Read kind = Read::Plain;
    for (std::size_t d = 0; d < r.indices.size(); ++d) {
      const AffineIndex& idx = r.indices[d];
      if (idx.terms.size() > 1)
        unsupported(e, "rank splits (" + idx.text + ") are compiled for inputs only (`BK[e,m1,m0] = K[e, m1*M0+m0]`)");
      if (rec != recs_.end() && d == rec->second.dim) {
        const FoldRecurrence& f = rec->second;
        if (idx.is_constant() && idx.constant == f.iterations) kind = Read::Final;
        else if (idx.is_var_plus_offset() && idx.var() == f.var && idx.constant == 1) kind = Read::Next;
        else if (idx.is_var_plus_offset() && idx.var() == f.var && idx.constant == 0) kind = Read::Prev;
        else unsupported(e, "read " + index_text(r) + " of an iterative tensor: only T[" + vname(f.var) + "], T[" +
                                vname(f.var) + "+1] and T[" + std::to_string(f.iterations) + "] are compiled");
        continue;
      }
      if (!idx.is_var_plus_offset() || idx.constant != 0 || idx.var() != t.dim_vars[d])
        unsupported(e, "index '" + idx.text + "' of " + r.name + " is not the dimension's own variable");
    }
    return kind;
  }
  std::string key(const Einsum& e, const TensorRef& r) const { return r.name + read_suffix(read_kind(e, r)); }

  // Index variables of a read, per dimension (-1 for a constant index).
  static std::vector<int> ref_vars(const TensorRef& r) {
    std::vector<int> v;
    for (const auto& idx : r.indices)
      if (!idx.is_constant()) v.push_back(idx.var());
    return v;
  }

  // Streamed ranks among `dims`, outermost first, and the vector rank (-1 if none).
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

  std::vector<std::size_t> topological(const std::vector<std::size_t>& items) const {
    std::vector<std::size_t> out;
    std::set<std::string> done;
    for (const auto& in : c_.inputs) done.insert(in.name);
    for (const auto& [v, base] : views_) done.insert(v);
    std::vector<bool> used(items.size(), false);
    while (out.size() < items.size()) {
      bool progress = false;
      for (std::size_t k = 0; k < items.size(); ++k) {
        if (used[k]) continue;
        auto refs = item_refs(items[k]);
        bool ready = std::all_of(refs.begin(), refs.end(), [&](const TensorRef* r) { return done.count(r->name) > 0; });
        if (ready) {
          used[k] = progress = true;
          out.push_back(items[k]);
          done.insert(c_.einsums[items[k]].lhs.name);
        }
      }
      if (!progress)
        for (std::size_t k = 0; k < items.size(); ++k)
          if (!used[k]) unsupported(c_.einsums[items[k]], "its operands form a cycle that is not a library fold");
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
    if (from.depth > 2 && !from.sized.kind.empty()) {
      SizedFifo f = from.sized;
      f.channel = from.ep + "->" + to;
      f.depth = from.depth;
      out_.sized_fifos.push_back(f);
    }
  }

  // n copies of a stream (a broadcast when n > 1), out0 first.
  std::vector<Val> fan_out(const Val& v, int n, const std::string& base) {
    if (n == 1) return {v};
    std::string bc = unit(base + "_bc", "broadcast", Params().set("outputs", n).set("width", v.width));
    connect(v, bc + ".in");
    std::vector<Val> outs;
    for (int i = 0; i < n; ++i) {
      outs.push_back(after(bc + ".out" + std::to_string(i), v.width, v));
      outs.back().source = false;  // a stalled branch stalls the others
    }
    return outs;
  }

  // Values read through `r` in stream order: `walk` outermost first, then the vector rank.
  std::vector<double> stream_values(const TensorRef& r, const std::vector<int>& walk_loops, int vec) const {
    const TensorValues& v = out_.reference[r.name];
    std::vector<int> walk = walk_loops;
    if (vec >= 0) walk.push_back(vec);
    std::vector<double> out;
    std::vector<std::int64_t> at(walk.size(), 0), idx(r.indices.size(), 0);
    std::function<void(std::size_t)> rec = [&](std::size_t level) {
      if (level == walk.size()) {
        for (std::size_t d = 0; d < r.indices.size(); ++d) {
          const AffineIndex& i = r.indices[d];
          idx[d] = i.constant;
          if (!i.is_constant()) idx[d] += at[static_cast<std::size_t>(std::find(walk.begin(), walk.end(), i.var()) - walk.begin())];
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
    std::vector<int> vars = ref_vars(r);
    std::vector<int> mine = loops_of(vars);
    int vec = vec_of(vars, &e);
    std::int64_t width = vec >= 0 ? size(vec) : 1;
    std::size_t first = loops.size(), last = 0;
    for (int m : mine) {
      auto pos = static_cast<std::size_t>(std::find(loops.begin(), loops.end(), m) - loops.begin());
      first = std::min(first, pos);
      last = std::max(last, pos + 1);
    }
    if (mine.empty()) first = last = 0;
    const bool gap = last - first != mine.size();
    std::int64_t outer = 1, inner = 1;
    for (std::size_t i = 0; i < first; ++i) outer *= size(loops[i]);
    for (std::size_t i = last; i < loops.size(); ++i) inner *= size(loops[i]);
    Val v;
    v.width = width;
    if (is_source(r.name)) {
      // Read from memory: ranks it lacks outside (or between) its own are re-streamed.
      auto base = views_.find(r.name);
      ++out_.input_streams[base == views_.end() ? r.name : base->second];
      std::vector<int> walk(loops.begin() + static_cast<std::ptrdiff_t>(first), loops.begin() + static_cast<std::ptrdiff_t>(last));
      std::string src = unit(r.name, "source",
                             Params().set("kind", "list").set("width", static_cast<std::int64_t>(width))
                                 .set("values", stream_values(r, walk, vec)).set("repeat", outer));
      v.ep = src + ".out";
      v.source = true;
    } else {
      if (gap)
        unsupported(e, r.name + " lacks a streamed rank between two it has; reorder --order");
      v = endpoints_.at(key(e, r)).at(slot_.at(&r));
      if (outer > 1) {
        // Computed once, needed for every iteration of the outer ranks it lacks: held on chip.
        std::int64_t group = 1;
        for (int m : mine) group *= size(m);
        std::string rp = unit(r.name + "_replay", "replay",
                              Params().set("group", group).set("count", outer).set("width", width));
        connect(v, rp + ".in");
        v = after(rp + ".out", width, v);
        v.source = false;
        std::string lacks;
        for (std::size_t i = 0; i < first; ++i) lacks += (lacks.empty() ? "" : ",") + rname(loops[i]);
        out_.buffers.push_back(HeldBuffer{rp, group * width, e.lhs.name + " (line " + std::to_string(e.loc.line) +
                                                                  ") re-reads " + r.name + " for every " + lacks});
      }
    }
    if (inner > 1) {
      std::string rep = unit(r.name + "_rep", "repeat", Params().set("count", inner).set("width", width));
      connect(v, rep + ".in");
      v = after(rep + ".out", width, v);
    }
    return v;
  }

  Val map1(const std::string& op, Val a, Params p = Params()) {
    std::string m = unit("map_" + op, "map", p.set("op", op).set("width", a.width));
    connect(a, m + ".in");
    return after(m + ".out", a.width, a);
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
    balance(a, b);
    connect(a, m + ".a");
    connect(b, m + ".b");
    Val out = after(m + ".out", a.width, a.t >= b.t ? a : b);
    out.source = a.source && b.source;
    return out;
  }

  static bool has_refs(const Expr& x) {
    if (x.kind == Expr::Kind::Tensor) return true;
    return std::any_of(x.args.begin(), x.args.end(), [](const Expr& a) { return has_refs(a); });
  }
  static double eval_indices(const Expr& x, const std::vector<std::int64_t>& env) {
    switch (x.kind) {
      case Expr::Kind::Number: return x.number;
      case Expr::Kind::Index: return static_cast<double>(env[static_cast<std::size_t>(x.var)]);
      case Expr::Kind::Negate: return -eval_indices(x.args[0], env);
      case Expr::Kind::Binary: {
        double a = eval_indices(x.args[0], env), b = eval_indices(x.args[1], env);
        return x.op == '+' ? a + b : x.op == '-' ? a - b : x.op == '*' ? a * b : a / b;
      }
      case Expr::Kind::Call: {
        double args[8] = {0};
        for (std::size_t i = 0; i < x.args.size() && i < 8; ++i) args[i] = eval_indices(x.args[i], env);
        return FunctionRegistry::instance().function(x.func)->apply(args);
      }
      default: return 0;
    }
  }

  // A subexpression of index values only (a mask such as select(p - m + 1, 0, -inf)) is known
  // at compile time: a source streams its values in the Einsum's loop order, as a mask
  // generator (counters and a comparator) would.
  Val index_source(const Einsum& e, const Expr& x) {
    std::vector<int> vars;
    collect_index_values(x, vars);
    int vec = vec_of(vars, &e);
    std::vector<int> walk = cur_loops_;
    if (vec >= 0) walk.push_back(vec);
    std::vector<std::int64_t> env(c_.ranks.size(), 0);
    std::vector<double> values;
    std::function<void(std::size_t)> rec = [&](std::size_t level) {
      if (level == walk.size()) {
        values.push_back(eval_indices(x, env));
        return;
      }
      auto& at = env[static_cast<std::size_t>(walk[level])];
      for (at = 0; at < size(walk[level]); ++at) rec(level + 1);
    };
    rec(0);
    std::int64_t width = vec >= 0 ? size(vec) : 1;
    std::string src = unit("index_" + e.lhs.name, "source",
                           Params().set("kind", "list").set("width", width).set("values", values));
    Val v{src + ".out", width};
    v.source = true;
    return v;
  }

  Val expr(const Einsum& e, const Expr& x, const std::map<const TensorRef*, Val>& leaves) {
    if (!has_refs(x)) {
      std::vector<int> vars;
      collect_index_values(x, vars);
      if (vars.empty()) return Val{"", 1, 2, true, eval_indices(x, std::vector<std::int64_t>(c_.ranks.size(), 0))};
      return index_source(e, x);
    }
    switch (x.kind) {
      case Expr::Kind::Index: return index_source(e, x);
      case Expr::Kind::Number: return Val{"", 1, 2, true, x.number};
      case Expr::Kind::Tensor: return leaves.at(&x.ref);
      case Expr::Kind::Negate: {
        Val a = expr(e, x.args[0], leaves);
        if (a.constant) return Val{"", 1, 2, true, -a.value};
        return map1("neg", a);
      }
      case Expr::Kind::Call: {
        std::vector<Val> args;
        for (const auto& a : x.args) args.push_back(expr(e, a, leaves));
        static const std::set<std::string> unary{"exp", "log", "sqrt", "abs", "relu"};
        if (unary.count(x.func) && !args[0].constant) return map1(x.func, args[0]);
        if (x.func == "elu1" && !args[0].constant) {
          // elu(x)+1 = relu(x) + exp(-relu(-x)): x+1 for x > 0, exp(x) otherwise, exactly.
          auto two = fan_out(args[0], 2, "elu1");
          return map2("add", map1("relu", two[0]), map1("exp", map1("neg", map1("relu", map1("neg", two[1])))));
        }
        if ((x.func == "max" || x.func == "min") && !args[0].constant && !args[1].constant)
          return map2(x.func, args[0], args[1]);
        unsupported(e, "function '" + x.func + "' with these operands has no library unit");
      }
      case Expr::Kind::Binary: {
        Val a = expr(e, x.args[0], leaves), b = expr(e, x.args[1], leaves);
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

  // Derived tensors a tensor depends on (itself included); inputs and views (memory) excluded.
  std::set<std::string> ancestry(const std::string& name) {
    auto it = ancestry_.find(name);
    if (it != ancestry_.end()) return it->second;
    ancestry_[name] = {};  // a recurrence reads itself: stop there
    std::set<std::string> out;
    if (!is_source(name)) {
      out.insert(name);
      for (std::size_t d : c_.tensor(name).definitions) {
        std::vector<const TensorRef*> refs;
        collect_refs(c_.einsums[d].rhs, refs);
        for (const TensorRef* r : refs)
          for (const auto& a : ancestry(r->name)) out.insert(a);
      }
    }
    return ancestry_[name] = out;
  }

  // Reduces the innermost streamed ranks `red_loops` of an Einsum (no unit for a group of 1).
  Val reduce_loops(const Einsum& e, Val v, const std::vector<int>& red_loops) {
    if (red_loops.empty()) return v;
    std::string op = c_.reduce_op(e, red_loops[0]);
    std::int64_t group = 1;
    for (int r : red_loops) {
      if (c_.reduce_op(e, r) != op) unsupported(e, "different reduction operators on streamed ranks");
      group *= size(r);
    }
    if (group == 1) return v;
    std::string red = unit("reduce_" + e.lhs.name, "reduce", Params().set("op", op).set("group", group).set("width", v.width));
    connect(v, red + ".in");
    return after(red + ".out", v.width, v);
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
    cur_loops_ = loops;
    Val v;
    if (!red_vec.empty()) {
      if (red_vec.size() > 1 || c_.reduce_op(e, red_vec[0]) != "sum" || e.rhs.kind != Expr::Kind::Binary ||
          e.rhs.op != '*' || e.rhs.args[0].kind != Expr::Kind::Tensor || e.rhs.args[1].kind != Expr::Kind::Tensor)
        unsupported(e, "a reduction over vector rank " + rname(red_vec[0]) + " must be a sum of A*B (a dot product)");
      Val a = leaves.at(&e.rhs.args[0].ref), b = leaves.at(&e.rhs.args[1].ref);
      std::int64_t w = size(red_vec[0]);
      if (a.width != w || b.width != w) unsupported(e, "dot product operands must both be " + rname(red_vec[0]) + "-wide");
      std::string d = unit("dot_" + e.lhs.name, "dot", Params().set("width", w));
      balance(a, b);
      connect(a, d + ".a");
      connect(b, d + ".b");
      // Full rate needs depth >= latency + R at the dot's output (timing-model.md).
      std::int64_t lat = 1;
      while ((std::int64_t{1} << (lat - 1)) < w) ++lat;
      v = after(d + ".out", 1, a.t >= b.t ? a : b, lat);
      v.source = a.source && b.source;
      v.depth = lat + 2;
    } else {
      v = expr(e, e.rhs, leaves);
      if (v.constant) unsupported(e, "a constant Einsum has no stream");
    }
    v = reduce_loops(e, v, red_loops);
    int out_vec = vec_of(left, &e);
    if ((out_vec >= 0 ? size(out_vec) : 1) != v.width)
      unsupported(e, "the result is " + std::to_string(v.width) + " wide but " + e.lhs.name + " needs " +
                         (out_vec >= 0 ? rname(out_vec) : std::string("scalar")) + " tokens");
    publish(e.lhs.name, v, [&] { return stream_values(e.lhs, loops_of(left), out_vec); });
  }

  // T[v+1] = fold(T[v], x): a scan gives T[1..B] (Next), a shift of it T[0..B-1] (Prev), a
  // reduce the last iterate T[B] (Final). Only the streams some Einsum reads are built.
  void lower_recurrence(const FoldRecurrence& f) {
    const Einsum& e = c_.einsums[f.einsum];
    const TensorInfo& t = c_.tensor(f.tensor);
    std::vector<int> loops = loops_of(t.dim_vars);
    if (loops.empty() || loops.back() != f.var)
      unsupported(e, "iterative rank " + rname(f.var) + " must be the innermost streamed rank of " + f.tensor +
                         " (list it after the ranks of " + f.tensor + " in --order)");
    if (f.iterations != size(f.var))
      unsupported(e, "the stop bound (" + std::to_string(f.iterations) + ") differs from rank " + rname(f.var) + "'s size");
    std::vector<const TensorRef*> refs;
    collect_refs(f.x, refs);
    if (f.op == "rescale_sum") collect_refs(f.c, refs);
    std::map<const TensorRef*, Val> leaves;
    for (const TensorRef* r : refs) leaves[r] = leaf(e, *r, loops);
    size_fifos(e, refs, loops, leaves);
    cur_loops_ = loops;
    int vec = vec_of(t.dim_vars, &e);
    std::int64_t w = vec >= 0 ? size(vec) : 1;
    Val in = expr(e, f.x, leaves);
    if (in.constant || in.width != w)
      unsupported(e, "the folded operand must be a " + std::to_string(w) + "-wide stream");
    if (f.op == "rescale_sum") {
      Val cv = expr(e, f.c, leaves);
      if (cv.constant || cv.width != 1) unsupported(e, "the correction factor of T[v]*c + x must be a scalar stream");
      std::string z = unit("zip_" + f.tensor, "zip", Params().set("width_a", std::int64_t{1}).set("width_b", w));
      balance(cv, in);
      connect(cv, z + ".a");
      connect(in, z + ".b");
      in = after(z + ".out", w + 1, cv.t >= in.t ? cv : in);
    }
    const std::string& T = f.tensor;
    int n_next = consumers_[T + "@next"], n_prev = consumers_[T + "@prev"], n_final = consumers_[T + "@final"];
    if (n_next + n_prev + n_final == 0) n_final = 1;  // nobody reads T: its final value is an output
    const int n_run = n_next + (n_prev > 0 ? 1 : 0);
    std::vector<Val> ins = fan_out(in, (n_run > 0 ? 1 : 0) + (n_final > 0 ? 1 : 0), "fold_" + T);
    auto fold_params = [&](Params p) {
      return p.set("op", f.op).set("group", f.iterations).set("width", w).set("init", f.init);
    };
    auto ref_at = [&](Read k) {
      TensorRef r = e.lhs;
      AffineIndex& idx = r.indices[f.dim];
      idx.terms.clear();
      idx.constant = k == Read::Final ? f.iterations : k == Read::Next ? 1 : 0;
      if (k != Read::Final) idx.terms.push_back({f.var, 1});
      return r;
    };
    std::vector<int> run_loops = loops, final_loops(loops.begin(), loops.end() - 1);
    if (n_run > 0) {
      std::string s = unit("scan_" + T, "scan", fold_params(Params()));
      connect(ins[0], s + ".in");
      auto outs = fan_out(after(s + ".out", w, ins[0]), n_run, "run_" + T);
      if (n_prev > 0) {
        std::string sh = unit("shift_" + T, "shift",
                              Params().set("group", f.iterations).set("width", w).set("init", f.init));
        connect(outs.back(), sh + ".in");
        Val shifted = after(sh + ".out", w, outs.back());
        outs.pop_back();
        publish(T + "@prev", shifted, [&] { return stream_values(ref_at(Read::Prev), run_loops, vec); });
      }
      if (n_next > 0) publish_fanned(T + "@next", outs);
    }
    if (n_final > 0) {
      std::string r = unit("final_" + T, "reduce", fold_params(Params()));
      connect(ins.back(), r + ".in");
      publish(T + "@final", after(r + ".out", w, ins.back()), [&] { return stream_values(ref_at(Read::Final), final_loops, vec); });
    }
  }

  // An operand that the Einsum must hold while another operand of the same fiber is still
  // being reduced (the other is repeated over ranks it lacks): its FIFO must hold that many
  // tokens. Over a whole rank this is the pass analysis's read-after-full-read dependency
  // (an extra pass, buffered on chip); over the inner part of a split rank it is one chunk.
  struct Held {
    const TensorRef* w = nullptr;  // the summary it waits for
    std::vector<int> over;         // the ranks it is held over
    std::int64_t count = 1;        // elements held
  };
  std::map<const TensorRef*, Held> held_reads(const std::vector<const TensorRef*>& refs, const std::vector<int>& loops) {
    std::map<const TensorRef*, Held> out;
    for (const TensorRef* w : refs) {
      std::vector<int> w_loops = loops_of(ref_vars(*w));
      std::vector<int> missing;
      for (int r : loops)
        if (std::find(w_loops.begin(), w_loops.end(), r) == w_loops.end()) missing.push_back(r);
      if (missing.empty()) continue;
      auto w_anc = ancestry(w->name);
      for (const TensorRef* u : refs) {
        if (u == w) continue;
        std::vector<int> u_loops = loops_of(ref_vars(*u));
        Held h;
        h.w = w;
        for (int r : missing)
          if (std::find(u_loops.begin(), u_loops.end(), r) != u_loops.end()) {
            h.count *= size(r);
            h.over.push_back(r);
          }
        if (h.count == 1) continue;
        auto u_anc = ancestry(u->name);
        bool shared = std::any_of(u_anc.begin(), u_anc.end(), [&](const std::string& a) { return w_anc.count(a) > 0; });
        if (shared && h.count > out[u].count) out[u] = h;
        if (out[u].w == nullptr) out.erase(u);
      }
    }
    return out;
  }

  void size_fifos(const Einsum& e, const std::vector<const TensorRef*>& refs, const std::vector<int>& loops,
                  std::map<const TensorRef*, Val>& leaves) {
    for (const auto& [u, h] : held_reads(refs, loops)) {
      Val& lv = leaves.at(u);
      // Held elements - 1 is the deadlock bound; the summary's path latency on top keeps
      // one token per cycle (docs/sdpa.md: N - 1 + ceil((latency + R) / I)).
      const Val& wv = leaves.at(h.w);
      std::int64_t depth = h.count + (o_.fiber_slack ? *o_.fiber_slack : std::max<std::int64_t>(0, wv.t - lv.t) + 1);
      if (depth > lv.depth || (!lv.sized.kind.empty() && depth != lv.depth)) {
        lv.depth = std::max<std::int64_t>(1, depth);
        lv.sized = why_sized(e, *h.w, *u, h.over, h.count);
      }
    }
  }

  SizedFifo why_sized(const Einsum& e, const TensorRef& w, const TensorRef& u, const std::vector<int>& over,
                      std::int64_t held) const {
    SizedFifo f;
    f.held = held;
    std::string ranks;
    for (int r : over) ranks += (ranks.empty() ? "" : ",") + rname(r);
    f.rank = ranks;
    const bool chunk = std::all_of(over.begin(), over.end(), [&](int r) { return chunk_of_.count(r) > 0; });
    const std::string head = e.lhs.name + " (line " + std::to_string(e.loc.line) + ") needs " + index_text(w) + ", ";
    if (chunk) {
      f.kind = "chunk";
      f.reason = head + "complete only at the end of each " + ranks + " chunk of " + u.name + ": one chunk of " +
                 rname(chunk_of_.at(over[0])) + " held (no extra pass; depth independent of " +
                 rname(chunk_of_.at(over[0])) + ")";
      return f;
    }
    f.kind = "pass";
    for (const auto& rp : passes_.ranks)
      for (const auto& why : rp.reasons)
        if (why.line == e.loc.line && why.needs == w.name) {
          f.pass = why.pass;
          f.reason = "extra pass " + std::to_string(why.pass) + " over " + rp.rank + ": " + head + why.how +
                     " (line " + std::to_string(why.needs_line) + "); the " + ranks + " fiber of " + u.name +
                     " is held on chip instead of re-read";
          return f;
        }
    f.reason = head + "complete only after a full " + ranks + " fiber of " + u.name + ": an extra pass buffered on chip";
    return f;
  }

  void publish(const std::string& key, const Val& v, const std::function<std::vector<double>()>& expect) {
    int n = consumers_[key];
    if (n == 0) {
      std::string base = key;
      std::replace(base.begin(), base.end(), '@', '_');
      std::string s = unit(base + "_sink", "sink",
                           Params().set("width", v.width).set("expect", expect()).set("tolerance", o_.tolerance));
      connect(v, s + ".in");
      out_.sinks[key] = s;
      return;
    }
    publish_fanned(key, fan_out(v, n, key.substr(0, key.find('@'))));
  }
  void publish_fanned(const std::string& key, std::vector<Val> outs) { endpoints_[key] = std::move(outs); }

  const Cascade& c_;
  const CompileOptions& o_;
  std::vector<int> order_;
  std::vector<int> cur_loops_;  // streamed ranks of the Einsum being lowered
  CompiledCascade out_;
  PassReport passes_;
  std::map<std::string, FoldRecurrence> recs_;
  std::map<std::size_t, std::string> step_of_;       // recurrence Einsum -> its tensor
  std::set<std::size_t> skip_;                       // initialisations and inlined helpers
  std::map<std::string, std::string> views_;         // split view -> the input it reads
  std::map<int, std::vector<int>> split_parts_;      // split rank -> its coordinates, outer first
  std::map<int, int> chunk_of_;                      // inner coordinate -> the rank it splits
  std::map<std::string, int> consumers_;             // read key -> number of reads
  std::map<std::string, std::vector<Val>> endpoints_;  // read key -> one stream per read
  std::map<const TensorRef*, std::size_t> slot_;      // read -> its index in endpoints_
  std::map<std::string, std::set<std::string>> ancestry_;
};

}  // namespace

std::string CompiledCascade::report() const {
  std::ostringstream o;
  o << count_of(static_cast<std::uint64_t>(graph.unit_count()), "unit") << ", "
    << count_of(static_cast<std::uint64_t>(graph.channel_count()), "channel") << "; streamed ranks";
  for (const auto& r : order) o << " " << r;
  o << "\n";
  for (const auto& [in, n] : input_streams) o << "input " << in << " streamed " << n << (n == 1 ? " time\n" : " times\n");
  int passes = 0;
  for (const auto& f : sized_fifos) passes += f.kind == "pass";
  if (passes == 0) o << "no FIFO sized to a whole fiber: every Einsum streams (1 pass)\n";
  for (const auto& f : sized_fifos) o << "FIFO " << f.channel << " depth " << f.depth << ": " << f.reason << "\n";
  for (const auto& b : buffers)
    o << "unit " << b.unit << " holds " << count_of(static_cast<std::uint64_t>(b.elements), "value")
      << ": " << b.reason << "\n";
  std::int64_t total = 0;
  for (int i = 0; i < graph.channel_count(); ++i) total += graph.channel(i).timing.depth;
  o << "total FIFO capacity " << count_of(static_cast<std::uint64_t>(total), "token") << "\n";
  for (const auto& [t, s] : sinks) o << "output " << t << " -> sink " << s << "\n";
  return o.str();
}

CompiledCascade compile_cascade(const Cascade& c, const CompileOptions& options) { return Compiler(c, options).run(); }

}  // namespace einsum
}  // namespace streamsim
