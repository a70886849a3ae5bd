// The reordered (O(1) memory) SDPA graph of the streaming-attention work, built only from
// library units and run on the fast engine: dot scores -> scan(online_softmax) -> rescaling
// reduces for the denominator and the numerator -> zip -> flatmap(div_last). Checks values
// against softmax(Q K^T) V in double precision and that every FIFO stays shallow.
#include <cmath>

#include "sim/engines/fast/fast_engine.h"
#include "sim/units/sink.h"
#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

std::vector<double> reference(const std::vector<double>& q, const std::vector<double>& k,
                              const std::vector<double>& v, int Nq, int N, int D) {
  std::vector<double> out;
  for (int i = 0; i < Nq; ++i) {
    std::vector<double> s(N);
    double m = -INFINITY;
    for (int j = 0; j < N; ++j) {
      s[j] = 0;
      for (int d = 0; d < D; ++d) s[j] += q[i * D + d] * k[j * D + d];
      m = std::max(m, s[j]);
    }
    double denom = 0;
    for (int j = 0; j < N; ++j) denom += std::exp(s[j] - m);
    for (int d = 0; d < D; ++d) {
      double o = 0;
      for (int j = 0; j < N; ++j) o += std::exp(s[j] - m) * v[j * D + d];
      out.push_back(o / denom);
    }
  }
  return out;
}

std::vector<double> values_of(const Graph& g, const std::string& unit) {
  // Sources are deterministic: run the source alone through the harness to read its values.
  UnitHarness h(g.unit(g.find_unit(unit)).make());
  h.run();
  std::vector<double> out;
  for (const auto& t : h.output(0)) out.insert(out.end(), t.begin(), t.end());
  return out;
}

TEST(ReorderedSdpa, LibraryUnitsComputeAttentionWithShallowFifos) {
  const int Nq = 5, N = 16, D = 4;
  const ChannelTiming d2{2, 1, 1};
  Graph g;
  g.add_unit("Q", "source",
             Params()
                 .set("kind", "random")
                 .set("count", Nq)
                 .set("width", D)
                 .set("seed", 1)
                 .set("min", -1.0));
  g.add_unit("K", "source",
             Params()
                 .set("kind", "random")
                 .set("count", N)
                 .set("width", D)
                 .set("seed", 2)
                 .set("min", -1.0)
                 .set("repeat", Nq));
  g.add_unit("V", "source",
             Params()
                 .set("kind", "random")
                 .set("count", N)
                 .set("width", D)
                 .set("seed", 3)
                 .set("repeat", Nq));
  g.add_unit("qrep", "repeat", Params().set("count", N).set("width", D));
  g.add_unit("score", "dot", Params().set("width", D));
  g.add_unit("softmax", "scan", Params().set("op", "online_softmax").set("group", N));
  g.add_unit("bc", "broadcast", Params().set("outputs", 2).set("width", 2));
  g.add_unit("denom", "reduce", Params().set("op", "rescale_sum").set("group", N));
  g.add_unit("zipv", "zip", Params().set("width_a", 2).set("width_b", D));
  g.add_unit("numer", "reduce",
             Params().set("op", "rescale_weighted_sum").set("group", N).set("width", D));
  g.add_unit("zipo", "zip", Params().set("width_a", D).set("width_b", 1));
  g.add_unit("div", "flatmap", Params().set("op", "div_last").set("width", D + 1));
  std::vector<double> q = values_of(g, "Q"), k = values_of(g, "K"), v = values_of(g, "V");
  k.resize(N * D);
  v.resize(N * D);
  g.add_unit("out", "sink",
             Params().set("expect", reference(q, k, v, Nq, N, D)).set("tolerance", 1e-12));
  g.connect("Q", "qrep", d2);
  g.connect("qrep", "score.a", d2);
  g.connect("K", "score.b", d2);
  g.connect("score", "softmax", ChannelTiming{4, 1, 1});  // dot latency 3: depth 4 keeps full rate
  g.connect("softmax", "bc", d2);
  g.connect("bc.out0", "denom", d2);
  g.connect("bc.out1", "zipv.a", d2);
  g.connect("V", "zipv.b", d2);
  g.connect("zipv", "numer", d2);
  g.connect("numer", "zipo.a", d2);
  g.connect("denom", "zipo.b", d2);
  g.connect("zipo", "div", d2);
  g.connect("div", "out", d2);
  FastEngine engine;
  RunResult r = engine.run(g);
  ASSERT_EQ(r.status, RunStatus::Finished);
  auto* sink = r.unit_as<SinkUnit>("out");
  EXPECT_EQ(sink->count(), static_cast<std::uint64_t>(Nq * D));
  EXPECT_EQ(sink->mismatches(), 0u) << "max error " << sink->max_abs_error();
  for (const auto& ch : r.channels) {
    EXPECT_LE(ch.peak_occupancy, static_cast<std::uint64_t>(ch.depth)) << ch.name;
    EXPECT_EQ(ch.left_over, 0u) << ch.name;
  }
  // Full rate: one score per cycle after a short fill, Nq * N scores in all.
  EXPECT_GE(r.cycles, Nq * N);
  EXPECT_LE(r.cycles, Nq * N + 20);
}

}  // namespace
}  // namespace streamsim::units
