// The spatial model's cost tables come from the cascades written in the einsum language:
// the derived tables equal the hand-written ones of the FuseMax paper's cascades, and a
// mapping that leaves an Einsum unbound or names a bad cascade is reported at file:line.
#include <gtest/gtest.h>

#include "graphs/einsum/cascade.h"
#include "graphs/spatial/compile_mapping.h"
#include "sim/core/error.h"

namespace streamsim::spatial {
namespace {

const std::string kCascades = STREAMSIM_SOURCE_DIR "/configs/cascades/";

struct Expect {
  const char* name;
  Shape space;
  EinsumKind kind;
  int ops_const, ops_per_e, ops_per_f, exps, exp_arg_adds;
  std::vector<Op> needs;
  int pass;
  bool block_final;
  std::vector<std::string> reads;
};

void check(const Cascade& c, const std::vector<Expect>& table) {
  ASSERT_EQ(c.einsums.size(), table.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Expect& x = table[i];
    const EinsumCost& e = c.einsums[i];
    SCOPED_TRACE(x.name);
    EXPECT_EQ(e.name, x.name);
    EXPECT_EQ(e.writes, x.name);
    EXPECT_EQ(e.space, x.space);
    EXPECT_EQ(e.kind, x.kind);
    EXPECT_EQ(e.ops_const, x.ops_const);
    EXPECT_EQ(e.ops_per_e, x.ops_per_e);
    EXPECT_EQ(e.ops_per_f, x.ops_per_f);
    EXPECT_EQ(e.exps, x.exps);
    EXPECT_EQ(e.exp_arg_adds, x.exp_arg_adds);
    std::vector<Op> needs = e.needs, want = x.needs;
    std::sort(needs.begin(), needs.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(needs, want);
    EXPECT_EQ(e.pass, x.pass);
    EXPECT_EQ(e.block_final, x.block_final);
    EXPECT_EQ(e.reads, x.reads);
    EXPECT_GT(e.loc.line, 0);
  }
}

TEST(SpatialCascadeCosts, OnePassCascadeGivesThePaperTable) {
  auto c = load_cascade_costs(kCascades + "attention_1pass.cascade");
  using K = EinsumKind;
  using S = Shape;
  const std::vector<Op> mac{Op::Add, Op::Mul};
  EXPECT_EQ(c->passes, 1);
  check(*c, {
                {"BQK", S::MP, K::Matmul, 0, 1, 0, 0, 0, mac, 1, false, {"Q", "BK"}},
                {"LM", S::MP, K::RowReduce, 1, 0, 0, 0, 0, {Op::Max}, 1, false, {"BQK"}},
                {"RM", S::P, K::Elementwise, 1, 0, 0, 0, 0, {Op::Max}, 1, false, {"RM", "LM"}},
                {"SLN", S::MP, K::Elementwise, 1, 0, 0, 1, 1, mac, 1, false, {"BQK", "RM"}},
                {"SLD", S::MP, K::RowReduce, 1, 0, 0, 0, 0, {Op::Add}, 1, false, {"SLN"}},
                {"SLNV", S::MP, K::ReduceMatmul, 0, 0, 1, 0, 0, mac, 1, false, {"SLN", "BV"}},
                {"PRM", S::P, K::Elementwise, 1, 0, 0, 1, 1, mac, 1, false, {"RM"}},
                {"SPD", S::P, K::Elementwise, 1, 0, 0, 0, 0, {Op::Mul}, 1, false, {"RD", "PRM"}},
                {"RD", S::P, K::Elementwise, 1, 0, 0, 0, 0, {Op::Add}, 1, false, {"SLD", "SPD"}},
                {"SPNV", S::FP, K::Elementwise, 1, 0, 0, 0, 0, {Op::Mul}, 1, false, {"RNV", "PRM"}},
                {"RNV", S::FP, K::Elementwise, 1, 0, 0, 0, 0, {Op::Add}, 1, false, {"SLNV", "SPNV"}},
                {"AV", S::FP, K::Elementwise, 1, 0, 0, 0, 0, {Op::Div}, 1, true, {"RNV", "RD"}},
            });
  // Tensors: the K and V chunks are inputs (views of K, V); running values are state.
  EXPECT_EQ(c->tensor("BK")->shape, S::EM);
  EXPECT_EQ(c->tensor("BK")->role, Role::Input);
  EXPECT_EQ(c->tensor("BV")->shape, S::FM);
  EXPECT_EQ(c->tensor("Q")->shape, S::EP);
  EXPECT_EQ(c->tensor("K"), nullptr);  // read only through BK
  EXPECT_EQ(c->tensor("RM")->role, Role::State);
  EXPECT_EQ(c->tensor("RM")->shape, S::P);
  EXPECT_EQ(c->tensor("RNV")->role, Role::State);
  EXPECT_EQ(c->tensor("RNV")->shape, S::FP);
  EXPECT_EQ(c->tensor("SLN")->role, Role::Intermediate);
  EXPECT_EQ(c->tensor("AV")->role, Role::Output);
  // exp(x - m): 1 + 7 ops sequentially, 7 when exp's first step absorbs the subtraction.
  EXPECT_EQ(c->einsum("SLN")->ops(64, 64, 7), 8);
  EXPECT_EQ(c->einsum("SLN")->ops(64, 64, 7, true), 7);
  EXPECT_EQ(c->einsum("SLNV")->ops(64, 32, 7), 32);
  EXPECT_EQ(c->einsum("SLNV")->issues(64, 32), 32);
  EXPECT_EQ(c->einsum("SLN")->issues(64, 32), 1);
}

TEST(SpatialCascadeCosts, ThreePassCascadeGetsItsPassesFromThePassAnalysis) {
  auto c = load_cascade_costs(kCascades + "attention_3pass.cascade");
  using K = EinsumKind;
  using S = Shape;
  const std::vector<Op> mac{Op::Add, Op::Mul};
  EXPECT_EQ(c->passes, 3);
  check(*c, {
                {"QK", S::MP, K::Matmul, 0, 1, 0, 0, 0, mac, 1, false, {"Q", "K"}},
                {"GM", S::MP, K::RowReduce, 1, 0, 0, 0, 0, {Op::Max}, 1, false, {"QK"}},
                {"SN", S::MP, K::Elementwise, 1, 0, 0, 1, 1, mac, 2, false, {"QK", "GM"}},
                {"SD", S::MP, K::RowReduce, 1, 0, 0, 0, 0, {Op::Add}, 2, false, {"SN"}},
                {"A", S::MP, K::Elementwise, 1, 0, 0, 0, 0, {Op::Div}, 3, false, {"SN", "SD"}},
                {"AV", S::MP, K::ReduceMatmul, 0, 0, 1, 0, 0, mac, 3, false, {"A", "V"}},
            });
  EXPECT_EQ(c->tensor("K")->shape, S::EM);
  EXPECT_EQ(c->tensor("V")->shape, S::FM);
  EXPECT_EQ(c->tensor("GM")->shape, S::P);
  EXPECT_EQ(c->tensor("AV")->role, Role::Output);
  EXPECT_EQ(c->tensor("AV")->shape, S::FP);
}

TEST(SpatialCascadeCosts, DeferredDivisionCascadeIsTwoPasses) {
  // Not shipped as a mapping, but any attention cascade in the language is costed.
  auto c = load_cascade_costs(kCascades + "attention_deferred_div.cascade");
  EXPECT_EQ(c->passes, 2);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

Mapping mapping(const std::string& cascade, const std::string& binding) {
  return mapping_from_yaml(YAML::Load("mapping:\n  name: t\n  cascade: " + cascade + "\n  binding:\n" + binding),
                           "/tmp/m.yaml");
}

TEST(SpatialCascadeCosts, UnboundEinsumNamesItTheMappingLineAndTheCascadeLine) {
  Architecture a;
  Mapping m = mapping(kCascades + "attention_3pass.cascade",
                      "    array2d: [QK, AV]\n    array1d: [GM, SN, A]\n");
  std::string e = error_of([&] { compile_mapping(a, m, Workload{}); });
  EXPECT_NE(e.find("/tmp/m.yaml:5"), std::string::npos) << e;
  EXPECT_NE(e.find("Einsum 'SD'"), std::string::npos) << e;
  EXPECT_NE(e.find("attention_3pass.cascade:14"), std::string::npos) << e;
  EXPECT_NE(e.find("not bound"), std::string::npos) << e;
}

TEST(SpatialCascadeCosts, BadCascadeFilesAreReportedWhereNamed) {
  std::string e = error_of([&] { mapping("nowhere.cascade", "    array2d: [QK]\n"); });
  EXPECT_NE(e.find("/tmp/m.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("nowhere.cascade"), std::string::npos) << e;

  // A rank the spatial model cannot place is reported at its declaration.
  einsum::Cascade src = einsum::parse_cascade("rank E = 2\nrank P = 2\nrank Z = 2\ninput Q[E, P]\ninput W[E, Z]\n"
                                              "S[z,p] = Q[e,p] * W[e,z]\n",
                                              "odd.cascade");
  e = error_of([&] { cascade_costs(src); });
  EXPECT_NE(e.find("odd.cascade:3"), std::string::npos) << e;
  EXPECT_NE(e.find("rank 'Z'"), std::string::npos) << e;
}

}  // namespace
}  // namespace streamsim::spatial
