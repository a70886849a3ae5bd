#include "graphs/spatial/cascade_costs.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/pass_analysis.h"
#include "sim/core/error.h"

namespace streamsim::spatial {

const TensorInfo* Cascade::tensor(const std::string& n) const {
  for (const auto& t : tensors)
    if (t.name == n) return &t;
  return nullptr;
}

const EinsumCost* Cascade::einsum(const std::string& n) const {
  for (const auto& e : einsums)
    if (e.name == n) return &e;
  return nullptr;
}

namespace {

using einsum::Expr;

enum class RankRole { E, F, P, M, Chunk };

RankRole rank_role(const einsum::Cascade& c, int var) {
  const einsum::Rank& r = c.ranks.at(static_cast<std::size_t>(var));
  if (r.name == "E") return RankRole::E;
  if (r.name == "F") return RankRole::F;
  if (r.name == "P") return RankRole::P;
  if (r.name == "M" || r.name == "M0") return RankRole::M;
  if (r.name == "M1") return RankRole::Chunk;
  throw Error(r.loc, "cascade rank '" + r.name + "' has no place in the spatial model; name the ranks E (contracted "
                     "with Q), F (value size), P (queries), M or M0 (keys) and M1 (chunks of M0 keys)");
}

struct Roles {
  bool e = false, f = false, p = false, m = false, chunk = false;
  void add(RankRole r) {
    e = e || r == RankRole::E;
    f = f || r == RankRole::F;
    p = p || r == RankRole::P;
    m = m || r == RankRole::M;
    chunk = chunk || r == RankRole::Chunk;
  }
};

Roles roles_of_ref(const einsum::Cascade& c, const einsum::TensorRef& ref) {
  Roles r;
  std::vector<int> vars;
  for (const auto& idx : ref.indices) einsum::collect_vars(idx, vars);
  for (int v : vars) r.add(rank_role(c, v));
  return r;
}

void need(std::vector<Op>& needs, Op op) {
  if (std::find(needs.begin(), needs.end(), op) == needs.end()) needs.push_back(op);
}

// Counts the map ops of an expression: one per arithmetic operator and per call, exp
// counted apart (its cost is the architecture's), and notes the PE ops they need.
struct MapOps {
  int ops = 0, exps = 0, exp_arg_adds = 0;
  std::vector<Op> needs;

  void count(const Expr& x) {
    switch (x.kind) {
      case Expr::Kind::Number:
      case Expr::Kind::Tensor:
        return;
      case Expr::Kind::Negate:
        ++ops;
        need(needs, Op::Mul);
        break;
      case Expr::Kind::Binary:
        ++ops;
        need(needs, x.op == '*' ? Op::Mul : x.op == '/' ? Op::Div : Op::Add);
        break;
      case Expr::Kind::Call:
        if (x.func == "exp") {
          ++exps;
          need(needs, Op::Add);  // exp = sequential multiply-accumulates (+ an add)
          need(needs, Op::Mul);
          const Expr& arg = x.args.at(0);
          if (arg.kind == Expr::Kind::Binary && (arg.op == '-' || arg.op == '+')) ++exp_arg_adds;
        } else {
          ++ops;
          need(needs, x.func == "max" || x.func == "min" ? Op::Max : Op::Add);
        }
        break;
    }
    for (const Expr& a : x.args) count(a);
  }
};

Shape shape_of(const Roles& r, const SourceLoc& loc, const std::string& what) {
  if (r.e && r.p && !r.m) return Shape::EP;
  if (r.e && r.m && !r.p) return Shape::EM;
  if (r.f && r.m && !r.p) return Shape::FM;
  if (r.m && r.p) return Shape::MP;
  if (r.f && r.p) return Shape::FP;
  if (r.p) return Shape::P;
  throw Error(loc, what + " has a shape the spatial model cannot place (it needs rank P, or is Q[E,P], K[E,M], V[F,M])");
}

bool is_init(const einsum::Einsum& e) {
  for (const auto& idx : e.lhs.indices)
    if (idx.is_constant()) return true;
  return false;
}

}  // namespace

Cascade cascade_costs(const einsum::Cascade& src) {
  Cascade out;
  out.file = src.file;
  out.name = std::filesystem::path(src.file).stem().string();

  // Passes over M, from graphs/einsum's pass analysis, by the Einsum's line.
  std::map<int, int> pass_of_line;
  einsum::PassReport report = einsum::analyse_passes(src);
  for (const auto& rp : report.ranks)
    if (rp.rank == "M")
      for (const auto& ep : rp.einsums) pass_of_line[ep.line] = std::max(pass_of_line[ep.line], ep.pass);

  std::map<std::string, Shape> view_shape;  // BK[e,m1,m0] = K[e, m1*M0+m0]: a chunk of an input
  std::set<std::string> read_by_costed;
  std::map<std::string, int> pass_of_tensor;
  for (const auto& e : src.einsums) {
    if (is_init(e)) continue;
    std::vector<const einsum::TensorRef*> refs;
    einsum::collect_refs(e.rhs, refs);
    if (refs.empty()) continue;  // a constant fill
    const bool single_input_ref = e.rhs.kind == Expr::Kind::Tensor && src.tensor(e.rhs.ref.name).is_input;
    if (single_input_ref && src.reduced_vars(e).empty()) {
      view_shape[e.lhs.name] = shape_of(roles_of_ref(src, e.lhs), e.loc, "view '" + e.lhs.name + "'");
      continue;
    }
    if (out.einsum(e.lhs.name))
      throw Error(e.loc, "cascade: '" + e.lhs.name + "' is computed by two Einsums; the spatial model costs one "
                         "computing definition per tensor (initialisations aside)");

    EinsumCost c;
    c.name = e.lhs.name;
    c.expr = e.text;
    c.loc = e.loc;
    c.writes = e.lhs.name;
    Roles vars = roles_of_ref(src, e.lhs);
    for (const auto* r : refs) {
      Roles rr = roles_of_ref(src, *r);
      vars.e = vars.e || rr.e;
      vars.f = vars.f || rr.f;
      vars.p = vars.p || rr.p;
      vars.m = vars.m || rr.m;
      vars.chunk = vars.chunk || rr.chunk;
      if (std::find(c.reads.begin(), c.reads.end(), r->name) == c.reads.end()) c.reads.push_back(r->name);
      read_by_costed.insert(r->name);
    }
    if (!vars.p)
      throw Error(e.loc, "cascade: Einsum '" + c.name + "' does not iterate over queries (rank P); the spatial model "
                         "maps P onto the 2D array's rows");
    c.space = vars.m ? Shape::MP : vars.f ? Shape::FP : Shape::P;

    MapOps map;
    map.count(e.rhs);
    c.needs = map.needs;
    int per_point = map.ops;
    bool reduces_e = false, reduces_m = false;
    for (int v : src.reduced_vars(e)) {
      RankRole role = rank_role(src, v);
      reduces_e = reduces_e || role == RankRole::E;
      reduces_m = reduces_m || role == RankRole::M;
      const std::string op = src.reduce_op(e, v);
      const bool mac = op == "sum" && e.rhs.kind == Expr::Kind::Binary && e.rhs.op == '*';
      if (!mac) ++per_point;  // a multiply feeding an add-reduction is one MAC
      need(c.needs, op == "max" || op == "min" ? Op::Max : op == "sum" ? Op::Add : Op::Mul);
    }
    if ((vars.e || (vars.f && vars.m)) && map.exps)
      throw Error(e.loc, "cascade: Einsum '" + c.name + "' applies exp inside a contraction; the spatial model "
                         "costs exp once per point of the tile");
    if (vars.e) c.ops_per_e = per_point;
    else if (vars.f && vars.m) c.ops_per_f = per_point;
    else c.ops_const = per_point;
    c.exps = map.exps;
    c.exp_arg_adds = map.exp_arg_adds;
    c.kind = reduces_e ? EinsumKind::Matmul
             : reduces_m ? (vars.f ? EinsumKind::ReduceMatmul : EinsumKind::RowReduce)
                         : EinsumKind::Elementwise;
    // Iterates over no key, not even a chunk (AV = RNV[f,M1,p] / RD[M1,p]): it needs its
    // operands complete, once per block after the last chunk.
    c.block_final = !vars.m && !vars.chunk;
    auto pl = pass_of_line.find(e.loc.line);
    c.pass = pl != pass_of_line.end() ? pl->second : 1;
    for (const auto& r : c.reads)
      if (pass_of_tensor.count(r)) c.pass = std::max(c.pass, pass_of_tensor[r]);
    pass_of_tensor[c.name] = c.pass;
    out.passes = std::max(out.passes, c.pass);
    out.einsums.push_back(c);
  }
  if (out.einsums.empty()) throw Error(SourceLoc{src.file, 1, 1}, "cascade has no Einsum to cost");

  for (const auto& name : src.tensor_order) {
    const einsum::TensorInfo& ti = src.tensor(name);
    if (view_shape.count(name)) {
      out.tensors.push_back({name, view_shape[name], Role::Input});
      continue;
    }
    if (ti.is_input) {
      if (!read_by_costed.count(name)) continue;  // only read through a view
      Roles r;
      for (int v : ti.dim_vars) r.add(rank_role(src, v));
      out.tensors.push_back({name, shape_of(r, ti.loc, "input '" + name + "'"), Role::Input});
      continue;
    }
    if (!out.einsum(name)) continue;
    Roles r;
    for (int v : ti.dim_vars)
      if (rank_role(src, v) != RankRole::Chunk) r.add(rank_role(src, v));
    const bool state = std::find(ti.iterative.begin(), ti.iterative.end(), true) != ti.iterative.end();
    const Role role = state ? Role::State : read_by_costed.count(name) ? Role::Intermediate : Role::Output;
    out.tensors.push_back({name, shape_of(r, ti.loc, "tensor '" + name + "'"), role});
  }
  return out;
}

std::shared_ptr<const Cascade> load_cascade_costs(const std::string& path, const SourceLoc& loc) {
  if (!std::filesystem::is_regular_file(path))
    throw Error(loc, "cascade file '" + path + "' not found; `cascade:` names a .cascade file relative to the "
                     "mapping file, e.g. ../cascades/attention_1pass.cascade");
  const std::string abs = std::filesystem::absolute(path).lexically_normal().string();
  return std::make_shared<const Cascade>(cascade_costs(einsum::parse_cascade_file(abs)));
}

}  // namespace streamsim::spatial
