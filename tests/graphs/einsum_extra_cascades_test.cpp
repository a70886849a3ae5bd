// The cascades beyond the papers (configs/cascades): causal, sliding window with attention
// sinks, multi-query / grouped-query and linear attention. Each parses, has its pass count,
// equals a plain-loop reference written here (independent of the evaluator's machinery),
// and compiles to a graph whose sinks match the evaluator.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/compiler.h"
#include "graphs/einsum/evaluator.h"
#include "graphs/einsum/pass_analysis.h"
#include "sim/engines/fast/fast_engine.h"
#include "sim/units/sink.h"

namespace streamsim {
namespace einsum {
namespace {

Cascade shipped(const std::string& name, const SizeOverrides& sizes = {}) {
  return parse_cascade_file(std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/" + name + ".cascade", sizes);
}

// softmax_m over visible keys of q.k, times V; q(e), k(e, m), v(f, m) as accessors.
std::vector<double> masked_attention(int E, int F, int M, const std::function<double(int)>& q,
                                     const std::function<double(int, int)>& k, const std::function<double(int, int)>& v,
                                     const std::function<bool(int)>& visible) {
  std::vector<double> s(static_cast<std::size_t>(M));
  double mx = -INFINITY;
  for (int m = 0; m < M; ++m) {
    double d = 0;
    for (int e = 0; e < E; ++e) d += q(e) * k(e, m);
    s[static_cast<std::size_t>(m)] = visible(m) ? d : -INFINITY;
    mx = std::max(mx, s[static_cast<std::size_t>(m)]);
  }
  double den = 0;
  std::vector<double> out(static_cast<std::size_t>(F), 0.0);
  for (int m = 0; m < M; ++m) {
    double w = std::exp(s[static_cast<std::size_t>(m)] - mx);
    den += w;
    for (int f = 0; f < F; ++f) out[static_cast<std::size_t>(f)] += w * v(f, m);
  }
  for (auto& o : out) o /= den;
  return out;
}

void expect_compiled_matches(const Cascade& c, const std::vector<std::string>& order) {
  CompileOptions o;
  o.order = order;
  o.inputs.seed = 4;
  CompiledCascade cc = compile_cascade(c, o);
  RunResult r = FastEngine().run(cc.graph);
  ASSERT_EQ(r.status, RunStatus::Finished) << r.deadlock.explain();
  auto* s = r.unit_as<units::SinkUnit>(cc.sinks.at("AV"));
  EXPECT_GT(s->expected_count(), 0u);
  EXPECT_EQ(s->mismatches(), 0u) << "max error " << s->max_abs_error();
}

struct Masked {
  const char* name;
  int passes;
  std::function<bool(int m, int p)> visible;
};

TEST(EinsumExtraCascades, MaskedAttentionMatchesPlainLoops) {
  const Masked cases[] = {
      {"attention_causal_3pass", 3, [](int m, int p) { return m <= p; }},
      {"attention_causal_1pass", 1, [](int m, int p) { return m <= p; }},
      {"attention_sliding_sinks_1pass", 1, [](int m, int p) { return m <= p && (m < 2 || m > p - 3); }},
  };
  for (const auto& cs : cases) {
    for (int n : {8, 12}) {
      SCOPED_TRACE(std::string(cs.name) + " M=P=" + std::to_string(n));
      Cascade c = shipped(cs.name, {{"M", n}, {"P", n}});
      EXPECT_EQ(analyse_passes(c).passes("M"), cs.passes);
      EvalOptions eo;
      eo.seed = 4;
      Evaluation ev = evaluate(c, eo);
      const TensorValues &Q = ev["Q"], &K = ev["K"], &V = ev["V"], &AV = ev["AV"];
      for (int p = 0; p < n; ++p) {
        auto want = masked_attention(
            4, 4, n, [&](int e) { return Q.at({e, p}); }, [&](int e, int m) { return K.at({e, m}); },
            [&](int f, int m) { return V.at({f, m}); }, [&](int m) { return cs.visible(m, p); });
        for (int f = 0; f < 4; ++f) EXPECT_NEAR(AV.at({f, p}), want[static_cast<std::size_t>(f)], 1e-12);
      }
      expect_compiled_matches(c, {"p", "m"});
    }
  }
}

TEST(EinsumExtraCascades, GroupedAndMultiQueryAttentionShareKVHeads) {
  Cascade gqa = shipped("attention_gqa_1pass");
  EXPECT_EQ(analyse_passes(gqa).passes("M"), 1);
  Evaluation ev = evaluate(gqa, EvalOptions{4});
  const TensorValues &Q = ev["Q"], &K = ev["K"], &V = ev["V"], &AV = ev["AV"];
  for (int h = 0; h < 2; ++h)
    for (int g = 0; g < 2; ++g)
      for (int p = 0; p < 3; ++p) {
        auto want = masked_attention(
            4, 4, 8, [&](int e) { return Q.at({e, g, h, p}); }, [&](int e, int m) { return K.at({e, h, m}); },
            [&](int f, int m) { return V.at({f, h, m}); }, [](int) { return true; });
        for (int f = 0; f < 4; ++f) EXPECT_NEAR(AV.at({f, h, g, p}), want[static_cast<std::size_t>(f)], 1e-12);
      }
  expect_compiled_matches(gqa, {"h", "g", "p", "m"});

  Cascade mqa = shipped("attention_mqa_3pass");
  EXPECT_EQ(analyse_passes(mqa).passes("M"), 3);
  Evaluation em = evaluate(mqa, EvalOptions{4});
  for (int g = 0; g < 3; ++g)
    for (int p = 0; p < 3; ++p) {
      auto want = masked_attention(
          4, 4, 8, [&](int e) { return em["Q"].at({e, g, p}); }, [&](int e, int m) { return em["K"].at({e, m}); },
          [&](int f, int m) { return em["V"].at({f, m}); }, [](int) { return true; });
      for (int f = 0; f < 4; ++f) EXPECT_NEAR(em["AV"].at({f, g, p}), want[static_cast<std::size_t>(f)], 1e-12);
    }
  expect_compiled_matches(mqa, {"g", "p", "m"});
}

TEST(EinsumExtraCascades, LinearAttentionWithEluFeatureMap) {
  Cascade c = shipped("linear_attention", {{"M", 16}});
  PassReport pr = analyse_passes(c);
  EXPECT_EQ(pr.passes("M"), 1);
  Evaluation ev = evaluate(c, EvalOptions{4});
  auto phi = [](double x) { return x > 0 ? x + 1 : std::exp(x); };
  for (int p = 0; p < 3; ++p) {
    double den = 0;
    std::vector<double> num(4, 0.0);
    for (int m = 0; m < 16; ++m) {
      double w = 0;
      for (int e = 0; e < 4; ++e) w += phi(ev["Q"].at({e, p})) * phi(ev["K"].at({e, m}));
      den += w;
      for (int f = 0; f < 4; ++f) num[static_cast<std::size_t>(f)] += w * ev["V"].at({f, m});
    }
    for (int f = 0; f < 4; ++f) EXPECT_NEAR(ev["AV"].at({f, p}), num[static_cast<std::size_t>(f)] / den, 1e-12);
  }
  CompileOptions o;
  o.order = {"p", "e", "m"};
  o.inputs.seed = 4;
  CompiledCascade cc = compile_cascade(c, o);
  ASSERT_EQ(cc.buffers.size(), 2u);  // KV (E x F) and Z (E) held and re-read for every query
  EXPECT_EQ(cc.buffers[0].elements + cc.buffers[1].elements, 4 * 4 + 4);
  RunResult r = FastEngine().run(cc.graph);
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.unit_as<units::SinkUnit>(cc.sinks.at("AV"))->mismatches(), 0u);
}

}  // namespace
}  // namespace einsum
}  // namespace streamsim
