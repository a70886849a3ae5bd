#include "graphs/spatial/attention_cascades.h"

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

EinsumCost make(std::string name, std::string expr, Shape space, EinsumKind kind, int pass,
                std::vector<Op> needs, std::vector<std::string> reads, std::string writes) {
  EinsumCost e;
  e.name = std::move(name);
  e.expr = std::move(expr);
  e.space = space;
  e.kind = kind;
  e.pass = pass;
  e.needs = std::move(needs);
  e.reads = std::move(reads);
  e.writes = std::move(writes);
  return e;
}

EinsumCost with_ops(EinsumCost e, int c, int per_e, int per_f, int exps) {
  e.ops_const = c;
  e.ops_per_e = per_e;
  e.ops_per_f = per_f;
  e.exps = exps;
  return e;
}

Cascade one_pass() {
  using K = EinsumKind;
  using S = Shape;
  const std::vector<Op> mac{Op::Add, Op::Mul};
  Cascade c;
  c.name = "attention-1pass";
  c.passes = 1;
  c.einsums = {
      with_ops(make("BQK", "BQK[m1,m0,p] = Q[e,p] * BK[e,m1,m0]", S::MP, K::Matmul, 1, mac, {"Q", "BK"}, "BQK"), 0, 1, 0, 0),
      with_ops(make("LM", "LM[m1,p] = BQK[m1,m0,p] :: reduce_m0 max", S::MP, K::RowReduce, 1, {Op::Max}, {"BQK"}, "LM"), 1, 0, 0, 0),
      with_ops(make("RM", "RM[m1+1,p] = max(RM[m1,p], LM[m1,p])", S::P, K::Elementwise, 1, {Op::Max}, {"RM", "LM"}, "RM"), 1, 0, 0, 0),
      with_ops(make("SLN", "SLN[m1,m0,p] = exp(BQK[m1,m0,p] - RM[m1+1,p])", S::MP, K::Elementwise, 1, mac, {"BQK", "RM"}, "SLN"), 1, 0, 0, 1),
      with_ops(make("SLD", "SLD[m1,p] = SLN[m1,m0,p]", S::MP, K::RowReduce, 1, {Op::Add}, {"SLN"}, "SLD"), 1, 0, 0, 0),
      with_ops(make("SLNV", "SLNV[f,m1,p] = SLN[m1,m0,p] * BV[f,m1,m0]", S::MP, K::ReduceMatmul, 1, mac, {"SLN", "BV"}, "SLNV"), 0, 0, 1, 0),
      with_ops(make("PRM", "PRM[m1,p] = exp(RM[m1,p] - RM[m1+1,p])", S::P, K::Elementwise, 1, mac, {"RM"}, "PRM"), 1, 0, 0, 1),
      with_ops(make("SPD", "SPD[m1,p] = RD[m1,p] * PRM[m1,p]", S::P, K::Elementwise, 1, {Op::Mul}, {"RD", "PRM"}, "SPD"), 1, 0, 0, 0),
      with_ops(make("RD", "RD[m1+1,p] = SLD[m1,p] + SPD[m1,p]", S::P, K::Elementwise, 1, {Op::Add}, {"SLD", "SPD"}, "RD"), 1, 0, 0, 0),
      with_ops(make("SPNV", "SPNV[f,m1,p] = RNV[f,m1,p] * PRM[m1,p]", S::FP, K::Elementwise, 1, {Op::Mul}, {"RNV", "PRM"}, "SPNV"), 1, 0, 0, 0),
      with_ops(make("RNV", "RNV[f,m1+1,p] = SLNV[f,m1,p] + SPNV[f,m1,p]", S::FP, K::Elementwise, 1, {Op::Add}, {"SLNV", "SPNV"}, "RNV"), 1, 0, 0, 0),
      with_ops(make("AV", "AV[f,p] = RNV[f,M1,p] / RD[M1,p]", S::FP, K::Elementwise, 1, {Op::Div}, {"RNV", "RD"}, "AV"), 1, 0, 0, 0),
  };
  c.einsums.back().block_final = true;
  c.tensors = {{"Q", S::EP, Role::Input},          {"BK", S::EM, Role::Input},
               {"BV", S::FM, Role::Input},         {"BQK", S::MP, Role::Intermediate},
               {"LM", S::P, Role::Intermediate},   {"RM", S::P, Role::State},
               {"SLN", S::MP, Role::Intermediate}, {"SLD", S::P, Role::Intermediate},
               {"SLNV", S::FP, Role::Intermediate}, {"PRM", S::P, Role::Intermediate},
               {"SPD", S::P, Role::Intermediate},  {"RD", S::P, Role::State},
               {"SPNV", S::FP, Role::Intermediate}, {"RNV", S::FP, Role::State},
               {"AV", S::FP, Role::Output}};
  return c;
}

Cascade three_pass() {
  using K = EinsumKind;
  using S = Shape;
  const std::vector<Op> mac{Op::Add, Op::Mul};
  Cascade c;
  c.name = "attention-3pass";
  c.passes = 3;
  c.einsums = {
      with_ops(make("QK", "QK[m,p] = Q[e,p] * K[e,m]", S::MP, K::Matmul, 1, mac, {"Q", "K"}, "QK"), 0, 1, 0, 0),
      with_ops(make("GM", "GM[p] = QK[m,p] :: reduce_m max", S::MP, K::RowReduce, 1, {Op::Max}, {"QK"}, "GM"), 1, 0, 0, 0),
      with_ops(make("SN", "SN[m,p] = exp(QK[m,p] - GM[p])", S::MP, K::Elementwise, 2, mac, {"QK", "GM"}, "SN"), 1, 0, 0, 1),
      with_ops(make("SD", "SD[p] = SN[m,p]", S::MP, K::RowReduce, 2, {Op::Add}, {"SN"}, "SD"), 1, 0, 0, 0),
      with_ops(make("A", "A[m,p] = SN[m,p] / SD[p]", S::MP, K::Elementwise, 3, {Op::Div}, {"SN", "SD"}, "A"), 1, 0, 0, 0),
      with_ops(make("AV", "AV[f,p] = A[m,p] * V[f,m]", S::MP, K::ReduceMatmul, 3, mac, {"A", "V"}, "AV"), 0, 0, 1, 0),
  };
  c.tensors = {{"Q", S::EP, Role::Input},         {"K", S::EM, Role::Input},
               {"V", S::FM, Role::Input},         {"QK", S::MP, Role::Intermediate},
               {"GM", S::P, Role::Intermediate},  {"SN", S::MP, Role::Intermediate},
               {"SD", S::P, Role::Intermediate},  {"A", S::MP, Role::Intermediate},
               {"AV", S::FP, Role::Output}};
  return c;
}

}  // namespace

std::vector<std::string> attention_cascade_names() { return {"attention-1pass", "attention-3pass"}; }

const Cascade& attention_cascade(const std::string& name, const SourceLoc& loc) {
  static const Cascade c1 = one_pass();
  static const Cascade c3 = three_pass();
  if (name == c1.name) return c1;
  if (name == c3.name) return c3;
  std::string hint = nearest_name(name, attention_cascade_names());
  throw Error(loc, "unknown cascade '" + name + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                       " Known cascades: " + join_names(attention_cascade_names()));
}

}  // namespace streamsim::spatial
