#include "sim/config/loader.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "tests/support/config_test_units.h"

namespace streamsim {
namespace {

using testing::TSink;

LoadedConfig load(const std::string& yaml, std::vector<ParamOverride> sets = {}) {
  testing::register_config_test_units();
  LoadOptions o;
  o.overrides = std::move(sets);
  return load_config_string(yaml, "t.yaml", o);
}

const char* kPipeline = R"(
description: a test pipeline
params:
  seq_len: 16
  tokens: ${seq_len * 4}
  fifo: ${max(2, tokens // 32)}
  op: square
defaults:
  depth: 3
  latency: 2
units:
  - name: src
    type: t_source
    params: {count: "${tokens}"}
  - {name: sq, type: t_map, params: {op: "${op}"}}
  - {name: out, type: t_sink}
channels:
  - {from: src.out, to: sq.in, depth: "${fifo}"}
  - {from: sq, to: out, response_latency: 3, name: tail}
)";

TEST(Loader, BuildsTheGraphWithParamsDefaultsAndExpressions) {
  LoadedConfig cfg = load(kPipeline);
  EXPECT_EQ(cfg.description, "a test pipeline");
  ASSERT_EQ(cfg.params.size(), 4u);
  EXPECT_EQ(cfg.params[0].first, "seq_len");
  EXPECT_EQ(cfg.params[1].second, ExprValue::of_int(64));
  EXPECT_EQ(cfg.params[2].second, ExprValue::of_int(2));
  EXPECT_EQ(cfg.params[3].second, ExprValue::of_string("square"));

  const Graph& g = cfg.graph;
  ASSERT_EQ(g.unit_count(), 3);
  ASSERT_EQ(g.channel_count(), 2);
  EXPECT_EQ(g.unit(0).params.get_int("count"), 64);
  EXPECT_EQ(g.unit(1).params.get_string("op"), "square");
  EXPECT_EQ(g.unit(1).params.get_int("ii"), 1);  // schema default filled
  EXPECT_EQ(g.unit(0).loc.line, 12);

  const ChannelSpec& a = g.channel(0);
  EXPECT_EQ(a.name, "src.out->sq.in");
  EXPECT_EQ(a.timing.depth, 2);  // explicit depth beats the default
  EXPECT_EQ(a.timing.latency, 2);  // file-wide default
  EXPECT_EQ(a.timing.response_latency, 1);
  EXPECT_EQ(a.loc.line, 18);
  const ChannelSpec& b = g.channel(1);
  EXPECT_EQ(b.name, "tail");
  EXPECT_EQ(b.timing.depth, 3);
  EXPECT_EQ(b.timing.response_latency, 3);
}

TEST(Loader, OverridesApplyBeforeDependentParams) {
  LoadedConfig cfg = load(kPipeline, {{"seq_len", "128"}, {"op", "id"}});
  EXPECT_EQ(cfg.params[1].second, ExprValue::of_int(512));
  EXPECT_EQ(cfg.params[2].second, ExprValue::of_int(16));
  EXPECT_EQ(cfg.graph.unit(0).params.get_int("count"), 512);
  EXPECT_EQ(cfg.graph.unit(1).params.get_string("op"), "id");
  EXPECT_EQ(cfg.graph.channel(0).timing.depth, 16);
  // An override may itself be an expression over earlier parameters... and the last one wins.
  cfg = load(kPipeline, {{"tokens", "${seq_len + 1}"}, {"tokens", "${seq_len + 2}"}});
  EXPECT_EQ(cfg.graph.unit(0).params.get_int("count"), 18);
}

TEST(Loader, LoadedGraphRunsAndSurvivesCopies) {
  LoadedConfig cfg = load(kPipeline);
  std::vector<LoadedConfig> many;
  many.push_back(cfg);        // copy
  many.push_back(std::move(cfg));  // "move" (a copy inside boost)
  many.resize(8);             // reallocation moves the graphs again
  for (int i = 0; i < 2; ++i) {
    RunResult r = make_engine("fast")->run(many[i].graph);
    EXPECT_EQ(r.status, RunStatus::Finished);
    TSink* sink = r.unit_as<TSink>("out");
    ASSERT_NE(sink, nullptr);
    ASSERT_EQ(sink->values.size(), 64u);
    EXPECT_EQ(sink->values[5], 25.0);
    EXPECT_EQ(many[i].graph.channel(1).name, "tail");
  }
}

TEST(Loader, ListsNestedListsInitialTokensAndEmbeddedNames) {
  LoadedConfig cfg = load(R"(
params: {n: 2}
units:
  - name: src
    type: t_source
    params:
      count: 4
      values: [[1, "${n}"], [3, 4.5]]
  - {name: j, type: t_join}
  - {name: "loop_${n}", type: t_map}   # inside {...} a ${...} must be quoted
  - {name: split, type: t_map}
channels:
  - {from: src, to: j.a}
  - {from: j, to: loop_2}
  - {from: loop_2, to: split}
  - {from: split, to: j.b, initial: [0], depth: 2}
)",
                          {});
  EXPECT_EQ(cfg.graph.unit(0).params.get_list("values"), (std::vector<double>{1, 2, 3, 4.5}));
  EXPECT_EQ(cfg.graph.channel(3).initial, std::vector<double>{0});
  EXPECT_GE(cfg.graph.find_unit("loop_2"), 0);
}

TEST(Loader, EmptyParamsAndChannelsSectionsAreAllowed) {
  LoadedConfig cfg = load("params:\nunits:\n  - {name: s, type: t_source, params: {count: 0}}\n"
                          "  - {name: o, type: t_sink}\nchannels:\n  - {from: s, to: o}\n");
  EXPECT_TRUE(cfg.params.empty());
  EXPECT_EQ(cfg.graph.channel_count(), 1);
}

TEST(Loader, ParseOverride) {
  ParamOverride o = parse_override("seq_len=128");
  EXPECT_EQ(o.name, "seq_len");
  EXPECT_EQ(o.value, "128");
  EXPECT_EQ(parse_override("x=a=b").value, "a=b");
  EXPECT_THROW(parse_override("seq_len"), Error);
  EXPECT_THROW(parse_override("=3"), Error);
}

}  // namespace
}  // namespace streamsim
