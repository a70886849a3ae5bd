// The fast engine's batched replay (sim/engines/fast/replay_batches.h) on graphs built to reach
// each of its paths: short FIFOs staged, a long FIFO full of tokens in flight read and written
// in place, a long FIFO whose ring has too little room (staged with many tokens in flight),
// by-reference rows, a fork and a join. Every figure and every value must equal the systemc
// engine's, and many firings must have run in batches (else the test would prove nothing;
// batches stop a few periods before each group or repeat boundary, hence the margins).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/engines/engine.h"
#include "sim/units/sink.h"
#include "tests/support/same_run.h"

namespace streamsim {
namespace {

void expect_same_run(const Graph& g, const std::vector<std::string>& sinks, double min_batched) {
  RunOptions options;
  const RunResult fast = make_engine("fast")->run(g, options);
  const RunResult sc = make_engine("systemc")->run(g, options);
  streamsim::testing::expect_same_statistics(fast, sc);
  std::uint64_t firings = 0;
  for (const UnitStats& u : fast.units) firings += u.firings;
  for (const std::string& name : sinks) {
    const auto* a = fast.unit_as<units::SinkUnit>(name);
    const auto* b = sc.unit_as<units::SinkUnit>(name);
    ASSERT_TRUE(a && b) << name;
    ASSERT_EQ(a->values().size(), b->values().size()) << name;
    EXPECT_GT(a->values().size(), 0u) << name;
    EXPECT_EQ(
        std::memcmp(a->values().data(), b->values().data(), a->values().size() * sizeof(double)), 0)
        << name << ": values differ";
  }
  EXPECT_EQ(sc.batched_firings, 0u);
  EXPECT_GT(static_cast<double>(fast.batched_firings), min_batched * static_cast<double>(firings))
      << "batched " << fast.batched_firings << " of " << firings << " firings";
}

Params sink_keeping_all() {
  return Params().set("keep", 1000000);
}

// A row normalisation as in naive SDPA: src -> bc -> (long FIFO) -> div.a and bc -> row sum
// (reduce, groups of 1000) -> repeat x 1000 -> div.b. `div` cannot take a row's first element
// before the row's sum, so in the engine's execution order the long FIFO holds about a row of
// tokens at every period boundary (a full FIFO in simulated time alone would not do: the
// engine runs a consumer ahead while it can).
Graph row_normalisation_graph(Cycle long_depth) {
  Graph g;
  g.add_unit("src", "source", Params().set("kind", "random").set("count", 20000));
  g.add_unit("bc", "broadcast", Params().set("outputs", 2));
  g.add_unit("sum", "reduce", Params().set("op", "sum").set("group", 1000));
  g.add_unit("rep", "repeat", Params().set("count", 1000));
  g.add_unit("div", "map", Params().set("op", "div"));
  g.add_unit("out", "sink", sink_keeping_all());
  g.connect("src", "bc", ChannelTiming{2, 1, 1});
  g.connect("bc.out0", "div.a", ChannelTiming{long_depth, 1, 1});
  g.connect("bc.out1", "sum", ChannelTiming{2, 1, 1});
  g.connect("sum", "rep", ChannelTiming{2, 1, 1});
  g.connect("rep", "div.b", ChannelTiming{2, 1, 1});
  g.connect("div", "out", ChannelTiming{2, 1, 1});
  g.validate();
  return g;
}

TEST(BatchedReplay, ALongFifoFullOfTokensIsUsedInPlace) {
  // depth 1500: a 2048-slot ring with ~1000 free beside a row in flight (used in place).
  expect_same_run(row_normalisation_graph(1500), {"out"}, 0.6);
}

TEST(BatchedReplay, ALongFifoWithLittleRoomIsStaged) {
  // depth 1003 (the least that does not deadlock): a 1024-slot ring with ~20 free beside a
  // row in flight, too few to work in place.
  expect_same_run(row_normalisation_graph(1003), {"out"}, 0.6);
}

TEST(BatchedReplay, ShortFifosForkAndJoin) {
  // src -> bc -> {scale, exp} -> add -> repeat x 40 -> sum over groups of 40 -> sink, and the
  // broadcast's third copy straight to a second sink.
  Graph g;
  g.add_unit("src", "source", Params().set("kind", "random").set("count", 3000).set("width", 3));
  g.add_unit("bc", "broadcast", Params().set("outputs", 3).set("width", 3));
  g.add_unit("scale", "map", Params().set("op", "scale").set("factor", 3.0).set("width", 3));
  g.add_unit("exp", "map", Params().set("op", "exp").set("width", 3).set("latency", 4));
  g.add_unit("add", "map", Params().set("op", "add").set("width", 3));
  g.add_unit("rep", "repeat", Params().set("count", 40).set("width", 3));
  g.add_unit("sum", "reduce",
             Params().set("op", "sum").set("group", 40).set("width", 3).set("reset", 1));
  g.add_unit("out", "sink", sink_keeping_all().set("width", 3));
  g.add_unit("copy", "sink", sink_keeping_all().set("width", 3));
  g.connect("src", "bc", ChannelTiming{2, 1, 1});
  g.connect("bc.out0", "scale", ChannelTiming{2, 1, 1});
  g.connect("bc.out1", "exp", ChannelTiming{3, 2, 1});
  g.connect("bc.out2", "copy", ChannelTiming{2, 1, 1});
  g.connect("scale", "add.a", ChannelTiming{6, 1, 1});
  g.connect("exp", "add.b", ChannelTiming{2, 1, 1});
  g.connect("add", "rep", ChannelTiming{2, 1, 1});
  g.connect("rep", "sum", ChannelTiming{4, 1, 2});
  g.connect("sum", "out", ChannelTiming{2, 1, 1});
  g.validate();
  expect_same_run(g, {"out", "copy"}, 0.4);
}

TEST(BatchedReplay, ReorderedSdpaRowsByReference) {
  // The reordered SDPA graph's units with K/V rows by reference and Q forwarded by q_repeat:
  // the sink compares against the reference, and both engines must agree exactly.
  Graph g;
  Params src;
  src.set("N", 300)
      .set("D", 16)
      .set("heads", 2)
      .set("seed", 5)
      .set("score_scale", 1.0)
      .set("width", "vector");
  g.add_unit("q", "sdpa_source", Params(src).set("tensor", "q").set("order", "once"));
  g.add_unit("k", "sdpa_source", Params(src).set("tensor", "k").set("order", "per_query"));
  g.add_unit("v", "sdpa_source", Params(src).set("tensor", "v").set("order", "per_query"));
  g.add_unit("q_repeat", "repeat", Params().set("count", 300).set("width", 16));
  g.add_unit("qk", "dot", Params().set("width", 16));
  g.add_unit("scan", "softmax_scan", Params().set("N", 300));
  g.add_unit("bc", "broadcast", Params().set("outputs", 2).set("width", 2));
  g.add_unit("denom", "rescale_fold", Params().set("N", 300).set("D", 0));
  g.add_unit("numer", "rescale_fold", Params().set("N", 300).set("D", 16));
  g.add_unit("norm", "map", Params().set("op", "div").set("width", 16).set("b_scalar", true));
  g.add_unit("out", "sink", sink_keeping_all().set("width", 16));
  g.connect("q", "q_repeat", ChannelTiming{2, 1, 1});
  g.connect("q_repeat", "qk.a", ChannelTiming{2, 1, 1});
  g.connect("k", "qk.b", ChannelTiming{2, 1, 1});
  g.connect("qk", "scan", ChannelTiming{6, 1, 1});
  g.connect("scan", "bc", ChannelTiming{2, 1, 1});
  g.connect("bc.out0", "denom.w", ChannelTiming{2, 1, 1});
  g.connect("bc.out1", "numer.w", ChannelTiming{2, 1, 1});
  g.connect("v", "numer.v", ChannelTiming{2, 1, 1});
  g.connect("numer", "norm.a", ChannelTiming{2, 1, 1});
  g.connect("denom", "norm.b", ChannelTiming{2, 1, 1});
  g.connect("norm", "out", ChannelTiming{2, 1, 1});
  g.validate();
  expect_same_run(g, {"out"}, 0.8);
}

}  // namespace
}  // namespace streamsim
