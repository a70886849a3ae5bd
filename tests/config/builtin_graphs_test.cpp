// Built-in graphs in YAML (`builtin:` + `builtin_params:`): the registry, ${...} and --set
// reaching the builder, and errors at file:line naming the key and the nearest name. A test
// builder ("t_chain") stands in for graphs/*, so these tests depend on the config layer only.
#include "sim/config/builtin_graphs.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "sim/config/loader.h"
#include "sim/core/error.h"
#include "tests/support/config_test_units.h"

namespace streamsim {
namespace {

// t_chain: t_source (count tokens) -> FIFO (depth) -> t_sink. Keys: count, depth. Records the
// parameters it was given so tests can see exactly what the loader passed.
BuiltinParams g_last_params;

Graph build_chain(const BuiltinParams& params, const SourceLoc&) {
  g_last_params = params;
  std::int64_t count = 4, depth = 2;
  for (const auto& [key, value] : params) {
    char* end = nullptr;
    const long long v = std::strtoll(value.c_str(), &end, 10);
    if (key != "count" && key != "depth") throw BuiltinParamError(key, "t_chain: unknown parameter '" + key + "'");
    if (value.empty() || *end != '\0') throw BuiltinParamError(key, "t_chain: '" + key + "' is not an integer");
    (key == "count" ? count : depth) = v;
  }
  if (depth > count) throw Error("t_chain: depth " + std::to_string(depth) + " exceeds count");
  testing::register_config_test_units();
  Graph g;
  g.add_unit("s", "t_source", Params().set("count", count));
  g.add_unit("o", "t_sink");
  ChannelTiming t;
  t.depth = depth;
  g.connect("s", "o", t, {}, "fifo");
  return g;
}

BuiltinGraphInfo chain_info() {
  BuiltinGraphInfo i;
  i.name = "t_chain";
  i.doc = "test: a source and a sink";
  i.build = build_chain;
  return i;
}
STREAMSIM_REGISTER_BUILTIN_GRAPH(chain_info());

LoadedConfig load(const std::string& yaml, std::vector<ParamOverride> sets = {}) {
  LoadOptions o;
  o.overrides = std::move(sets);
  return load_config_string(yaml, "t.yaml", o);
}

// The error message of loading `yaml`, or "" if it loads.
std::string error_of(const std::string& yaml, std::vector<ParamOverride> sets = {}) {
  try {
    load(yaml, std::move(sets));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(BuiltinGraphs, RegistryListsNamesAndSuggestsTheNearest) {
  const auto names = BuiltinGraphRegistry::instance().names();
  EXPECT_NE(std::find(names.begin(), names.end(), "t_chain"), names.end());
  EXPECT_EQ(BuiltinGraphRegistry::instance().get("t_chain").name, "t_chain");
  try {
    BuiltinGraphRegistry::instance().get("t_chian", SourceLoc{"f.yaml", 3, 10});
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("f.yaml:3:10: unknown built-in graph 't_chian'", 0), 0u) << m;
    EXPECT_NE(m.find("did you mean 't_chain'?"), std::string::npos) << m;
    EXPECT_NE(m.find("built-in graphs: "), std::string::npos) << m;
  }
  EXPECT_THROW(BuiltinGraphRegistry::instance().add(chain_info()), Error);  // taken
}

TEST(BuiltinGraphs, LoaderPassesSubstitutedParamsAndSetOverrides) {
  const std::string yaml =
      "description: a chain\n"
      "params: {n: 6, d: 3}\n"
      "builtin: t_chain\n"
      "builtin_params: {count: \"${n * 2}\", depth: \"${d}\"}\n";
  const LoadedConfig c = load(yaml);
  EXPECT_EQ(c.description, "a chain");
  EXPECT_EQ(g_last_params, (BuiltinParams{{"count", "12"}, {"depth", "3"}}));
  ASSERT_EQ(c.graph.channel_count(), 1);
  EXPECT_EQ(c.graph.channel(0).timing.depth, 3);
  ASSERT_EQ(c.params.size(), 2u);
  EXPECT_EQ(c.params[0].first, "n");

  const LoadedConfig set = load(yaml, {{"n", "10"}, {"d", "5"}});
  EXPECT_EQ(g_last_params, (BuiltinParams{{"count", "20"}, {"depth", "5"}}));
  EXPECT_EQ(set.graph.channel(0).timing.depth, 5);
  EXPECT_EQ(set.params[0].second.i, 10);
}

TEST(BuiltinGraphs, PlainValuesAndNoParamsPassThrough) {
  load("builtin: t_chain\nbuiltin_params: {count: 4, depth: '2'}\n");
  EXPECT_EQ(g_last_params, (BuiltinParams{{"count", "4"}, {"depth", "2"}}));
  load("builtin: t_chain\n");
  EXPECT_TRUE(g_last_params.empty());
  load("params: {g: t_chain}\nbuiltin: \"${g}\"\nbuiltin_params:\n");
  EXPECT_TRUE(g_last_params.empty());
}

struct Broken {
  const char* name;
  const char* yaml;
  std::vector<ParamOverride> sets;
  const char* where;
  std::vector<const char*> mentions;
};

const std::vector<Broken> kBroken = {
    {"unknown builtin", "params: {n: 1}\nbuiltin: t_chian\n", {}, "t.yaml:2:10",
     {"unknown built-in graph 't_chian'", "did you mean 't_chain'?"}},
    {"unknown builtin parameter", "builtin: t_chain\nbuiltin_params:\n  count: 4\n  dpeth: 2\n", {}, "t.yaml:4:3",
     {"unknown parameter 'dpeth'"}},
    {"malformed builtin parameter", "builtin: t_chain\nbuiltin_params:\n  count: four\n", {}, "t.yaml:3:3",
     {"'count' is not an integer"}},
    {"builder error without a key", "builtin: t_chain\nbuiltin_params: {count: 1, depth: 4}\n", {}, "t.yaml:1:10",
     {"builtin 't_chain'", "depth 4 exceeds count"}},
    {"expression error", "params: {n: 2}\nbuiltin: t_chain\nbuiltin_params: {count: \"${m + 1}\"}\n", {},
     "t.yaml:3:28", {"builtin_params: 'count'", "unknown parameter 'm'", "did you mean 'n'?"}},
    {"units beside builtin",
     "builtin: t_chain\nunits:\n  - {name: s, type: t_source, params: {count: 1}}\n", {}, "t.yaml:2:1",
     {"`units:` cannot be used with `builtin:`"}},
    {"defaults beside builtin", "defaults: {depth: 2}\nbuiltin: t_chain\n", {}, "t.yaml:1:1",
     {"`defaults:` cannot be used with `builtin:`"}},
    {"builtin_params without builtin", "builtin_params: {count: 1}\n", {}, "t.yaml:1:1",
     {"`builtin_params:` without `builtin:`"}},
    {"builtin_params is a list", "builtin: t_chain\nbuiltin_params: [1, 2]\n", {}, "t.yaml:2:17",
     {"`builtin_params` must be a map"}},
    {"builtin parameter is a list", "builtin: t_chain\nbuiltin_params: {count: [1, 2]}\n", {}, "t.yaml:2:25",
     {"builtin_params: 'count' must be a single value"}},
    {"builtin parameter given twice", "builtin: t_chain\nbuiltin_params: {count: 1, count: 2}\n", {},
     "t.yaml:2:", {"given twice"}},
    {"misspelt builtin key", "biultin: t_chain\n", {}, "t.yaml:1:1", {"unknown key 'biultin'", "did you mean 'builtin'?"}},
    {"unknown --set name", "params: {n: 1}\nbuiltin: t_chain\n", {{"nn", "2"}}, "t.yaml:1:1",
     {"--set nn=2", "did you mean 'n'?"}},
};

TEST(BuiltinGraphs, ErrorsNameFileLineAndKey) {
  for (const Broken& b : kBroken) {
    SCOPED_TRACE(b.name);
    const std::string m = error_of(b.yaml, b.sets);
    ASSERT_FALSE(m.empty()) << "loaded without an error";
    EXPECT_EQ(m.rfind(b.where, 0), 0u) << m;
    for (const char* s : b.mentions) EXPECT_NE(m.find(s), std::string::npos) << "missing '" << s << "' in: " << m;
  }
}

}  // namespace
}  // namespace streamsim
