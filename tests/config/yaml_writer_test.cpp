#include "sim/config/yaml_writer.h"

#include <gtest/gtest.h>

#include "sim/core/error.h"
#include "tests/support/config_test_units.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

const char* kArch = R"(
params: {n: 6, op: square, label: "007"}
units:
  - {name: src, type: t_source, params: {count: "${n}", values: [1.5, -2, 0.1]}}
  - {name: j, type: t_join}
  - {name: sq, type: t_map, params: {op: "${op}", ii: 2}}
  - {name: two, type: t_source, params: {count: 5}}
  - {name: out, type: t_sink}
channels:
  - {from: src, to: j.a, depth: 5, latency: 3}
  - {from: two, to: j.b, initial: [0.25], depth: 2}
  - {from: j, to: sq, response_latency: 2, name: hot}
  - {from: sq, to: out}
)";

TEST(YamlWriter, RoundTripsToTheSameGraph) {
  testing::register_config_test_units();
  LoadedConfig a = load_config_string(kArch, "a.yaml");
  std::string text = graph_to_yaml(a.graph, YamlWriteOptions{a.params, "", false});
  EXPECT_EQ(text.find("width: 1"), std::string::npos) << "defaults are left out:\n" << text;
  EXPECT_NE(text.find("ii: 2"), std::string::npos) << text;
  std::string all = graph_to_yaml(a.graph, YamlWriteOptions{a.params, "", true});
  EXPECT_NE(all.find("width: 1"), std::string::npos) << all;
  LoadedConfig a2 = load_config_string(kArch, "a.yaml");
  LoadedConfig b = load_config_string(text, "b.yaml");
  ASSERT_EQ(b.graph.unit_count(), a2.graph.unit_count()) << text;
  ASSERT_EQ(b.graph.channel_count(), a2.graph.channel_count()) << text;
  for (int u = 0; u < a2.graph.unit_count(); ++u) {
    EXPECT_EQ(b.graph.unit(u).name, a2.graph.unit(u).name);
    EXPECT_EQ(b.graph.unit(u).type, a2.graph.unit(u).type);
    EXPECT_EQ(b.graph.unit(u).params.as_text(), a2.graph.unit(u).params.as_text()) << text;
  }
  for (int c = 0; c < a2.graph.channel_count(); ++c) {
    const ChannelSpec &x = a2.graph.channel(c), &y = b.graph.channel(c);
    EXPECT_EQ(y.name, x.name);
    EXPECT_EQ(y.src, x.src);
    EXPECT_EQ(y.src_port, x.src_port);
    EXPECT_EQ(y.dst, x.dst);
    EXPECT_EQ(y.dst_port, x.dst_port);
    EXPECT_EQ(y.timing.depth, x.timing.depth);
    EXPECT_EQ(y.timing.latency, x.timing.latency);
    EXPECT_EQ(y.timing.response_latency, x.timing.response_latency);
    EXPECT_EQ(y.initial, x.initial);
  }
  ASSERT_EQ(b.params.size(), 3u);
  EXPECT_EQ(b.params[0].second, ExprValue::of_int(6));
  EXPECT_EQ(b.params[2].second, ExprValue::of_string("007"));  // stays a string
  EXPECT_EQ(a2.graph.to_dot(), b.graph.to_dot());
  EXPECT_EQ(load_config_string(all, "c.yaml").graph.to_dot(), a2.graph.to_dot());
}

TEST(YamlWriter, RefusesCustomUnits) {
  Graph g;
  g.add_custom_unit("src", [] { return std::make_unique<testing::CountingSource>("src", 3); });
  try {
    graph_to_yaml(g);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unit 'src' has type 'test_source'"), std::string::npos);
  }
}

}  // namespace
}  // namespace streamsim
