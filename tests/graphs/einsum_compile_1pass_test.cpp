// The 1-pass (chunked, iterative) attention cascade compiled to library units: values match
// the evaluator, and its FIFOs do not grow with M while the multi-pass cascades' do.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/compiler.h"
#include "sim/engines/fast/fast_engine.h"
#include "sim/units/sink.h"

namespace streamsim {
namespace einsum {
namespace {

Cascade shipped(const std::string& name, const SizeOverrides& sizes = {}) {
  return parse_cascade_file(std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/" + name + ".cascade", sizes);
}

CompiledCascade compile(const std::string& name, const SizeOverrides& sizes, std::uint64_t seed = 5) {
  CompileOptions o;
  o.order = {"p", "m"};  // m is split: streamed as m1, m0
  o.inputs.seed = seed;
  return compile_cascade(shipped(name, sizes), o);
}

RunResult run(const Graph& g) { return FastEngine().run(g); }

std::uint64_t peak_sum(const RunResult& r) {
  std::uint64_t s = 0;
  for (const auto& c : r.channels) s += c.peak_occupancy;
  return s;
}

std::multiset<std::int64_t> depths(const Graph& g) {
  std::multiset<std::int64_t> d;
  for (int i = 0; i < g.channel_count(); ++i) d.insert(g.channel(i).timing.depth);
  return d;
}

TEST(EinsumCompile1Pass, MatchesTheEvaluatorValueByValue) {
  for (auto [m, m0] : {std::pair<int, int>{8, 2}, {16, 4}, {32, 4}, {24, 8}, {12, 1}}) {
    SCOPED_TRACE("M=" + std::to_string(m) + " M0=" + std::to_string(m0));
    CompiledCascade cc = compile("attention_1pass", {{"M", m}, {"M0", m0}, {"P", 5}});
    EXPECT_EQ(cc.order, (std::vector<std::string>{"p", "m1", "m0"}));
    RunResult r = run(cc.graph);
    ASSERT_EQ(r.status, RunStatus::Finished) << r.deadlock.explain();
    ASSERT_EQ(cc.sinks.size(), 1u);
    auto* s = r.unit_as<units::SinkUnit>(cc.sinks.at("AV"));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->count(), 5u);  // one F-wide token per query
    EXPECT_EQ(s->mismatches(), 0u) << "max error " << s->max_abs_error();
    // The evaluator's AV is softmax attention; the compiled graph reproduces it.
    EXPECT_LT(s->max_abs_error(), 1e-12);
  }
}

TEST(EinsumCompile1Pass, RecurrencesBecomeFoldsAndKAndVAreStreamedOncePerQuery) {
  CompiledCascade cc = compile("attention_1pass", {{"M", 16}, {"M0", 4}});
  const Graph& g = cc.graph;
  std::map<std::string, int> types;
  for (int u = 0; u < g.unit_count(); ++u) ++types[g.unit(u).type];
  EXPECT_EQ(types["scan"], 1);    // RM[m1+1]: running max over chunks
  EXPECT_EQ(types["shift"], 1);   // RM[m1] for the correction factor PRM
  EXPECT_EQ(types["reduce"], 5);  // LM, SLD, SLNV over m0; RD[M1], RNV[M1] as rescale_sum folds
  EXPECT_EQ(cc.input_streams.at("K"), 1);
  EXPECT_EQ(cc.input_streams.at("V"), 1);
  EXPECT_EQ(cc.input_streams.at("Q"), 1);
  int rescale = 0;
  for (int u = 0; u < g.unit_count(); ++u)
    if (g.unit(u).type == "reduce" && g.unit(u).params.get_string("op") == "rescale_sum") ++rescale;
  EXPECT_EQ(rescale, 2);
}

TEST(EinsumCompile1Pass, FifoDepthsAreConstantInMWhileMultiPassFifosHoldAFiber) {
  // 1-pass: the only deep FIFO holds one M0 chunk of BQK while the chunk's max completes.
  std::multiset<std::int64_t> first;
  for (int m : {16, 64, 256}) {
    CompiledCascade cc = compile("attention_1pass", {{"M", m}, {"M0", 4}, {"P", 2}});
    ASSERT_EQ(cc.sized_fifos.size(), 1u) << cc.report();
    EXPECT_EQ(cc.sized_fifos[0].kind, "chunk");
    EXPECT_EQ(cc.sized_fifos[0].rank, "M0");
    EXPECT_EQ(cc.sized_fifos[0].held, 4);
    EXPECT_GT(cc.sized_fifos[0].depth, 4);
    EXPECT_LT(cc.sized_fifos[0].depth, 4 + 8);
    EXPECT_NE(cc.report().find("no FIFO sized to a whole fiber"), std::string::npos) << cc.report();
    if (first.empty()) first = depths(cc.graph);
    EXPECT_EQ(depths(cc.graph), first) << "M=" << m;
  }
  // 3-pass: one fiber FIFO per extra pass, each named with its pass in the report.
  for (int m : {16, 64}) {
    CompiledCascade cc = compile("attention_3pass", {{"M", m}, {"P", 2}});
    ASSERT_EQ(cc.sized_fifos.size(), 2u) << cc.report();
    std::set<int> passes;
    for (const auto& f : cc.sized_fifos) {
      EXPECT_EQ(f.kind, "pass");
      EXPECT_EQ(f.rank, "M");
      EXPECT_EQ(f.held, m);
      EXPECT_EQ(f.depth, m + 3);
      passes.insert(f.pass);
    }
    EXPECT_EQ(passes, (std::set<int>{2, 3}));
    EXPECT_NE(cc.report().find("extra pass 2 over M"), std::string::npos) << cc.report();
    EXPECT_NE(cc.report().find("extra pass 3 over M"), std::string::npos) << cc.report();
  }
}

TEST(EinsumCompile1Pass, PeakBufferIsIndependentOfMButGrowsForThreePasses) {
  auto peaks = [](const char* name, int m) {
    SizeOverrides sizes{{"M", m}, {"P", 2}};
    if (std::string(name) == "attention_1pass") sizes["M0"] = 4;
    CompiledCascade cc = compile(name, sizes);
    RunResult r = run(cc.graph);
    EXPECT_EQ(r.status, RunStatus::Finished);
    return peak_sum(r);
  };
  EXPECT_EQ(peaks("attention_1pass", 32), peaks("attention_1pass", 128));
  EXPECT_GE(peaks("attention_3pass", 128), peaks("attention_3pass", 32) + 2 * (128 - 32) - 8);
}

}  // namespace
}  // namespace einsum
}  // namespace streamsim
