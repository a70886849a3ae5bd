#include "sim/report/report.h"

#include <gtest/gtest.h>

#include "sim/config/loader.h"
#include "sim/engines/engine.h"
#include "sim/report/run_summary.h"
#include "sim/report/sink_checks.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

// src -> s0 -> s1 -> sink, 100 tokens, depth 2: full rate, 100 + 3 cycles.
Graph chain() {
  Graph g;
  g.add_custom_unit("src", [] { return std::make_unique<testing::CountingSource>("src", 100); });
  g.add_custom_unit("s0", [] { return std::make_unique<testing::PassStage>("s0"); });
  g.add_custom_unit("s1",
                    [] { return std::make_unique<testing::PassStage>("s1", 1, 1, 2, 1); });  // II 2
  g.add_custom_unit("sink", [] { return std::make_unique<testing::CollectingSink>("sink"); });
  g.connect("src", "s0", ChannelTiming{2, 1, 1});
  g.connect("s0", "s1", ChannelTiming{4, 1, 1});
  g.connect("s1", "sink", ChannelTiming{2, 1, 1});
  return g;
}

TEST(RunSummary, DerivedFiguresFollowFromTheStats) {
  Graph g = chain();
  RunResult r = make_engine("fast")->run(g);
  RunSummary s = summarize(g, r);
  EXPECT_EQ(s.tokens_out, 100u);  // only the channel into the sink counts
  EXPECT_DOUBLE_EQ(s.throughput, 100.0 / static_cast<double>(r.cycles));
  std::uint64_t peaks = 0;
  for (const auto& c : r.channels) peaks += c.peak_occupancy;
  EXPECT_EQ(s.total_buffer, peaks);
  EXPECT_EQ(s.allocated_buffer, 8u);
  ASSERT_EQ(s.utilization.size(), 4u);
  // s1 has II 2: it is busy 200 of the run's cycles.
  EXPECT_EQ(r.units[2].busy_cycles, 200);
  EXPECT_DOUBLE_EQ(s.utilization[2], 200.0 / static_cast<double>(r.cycles));
}

TEST(Report, TextNamesEveryUnitAndChannel) {
  Graph g = chain();
  RunResult r = make_engine("fast")->run(g);
  ReportContext ctx;
  ctx.config = "chain.yaml";
  ctx.params = {{"n", 100}};
  std::string text = text_report(g, r, ctx);
  EXPECT_NE(text.find("cycles      " + std::to_string(r.cycles) + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tokens out  100"), std::string::npos) << text;
  EXPECT_NE(text.find("params      n=100"), std::string::npos) << text;
  EXPECT_NE(text.find("status      finished"), std::string::npos) << text;
  for (const char* name :
       {"src", "s0", "s1", "sink", "src.out->s0.in0", "s0.out0->s1.in0", "s1.out0->sink.in"})
    EXPECT_NE(text.find(name), std::string::npos) << name;
}

TEST(Report, JsonHasTheDocumentedKeys) {
  Graph g = chain();
  RunResult r = make_engine("fast")->run(g);
  nlohmann::json j = json_report(g, r, ReportContext{"chain.yaml", {{"n", 100}}});
  for (const char* key :
       {"schema_version", "cycles", "status", "engine", "units", "channels", "total_buffer",
        "transfers", "wall_seconds", "params", "tokens_out", "throughput", "checks", "check"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("deadlock"));
  EXPECT_EQ(j["cycles"], r.cycles);
  EXPECT_EQ(j["status"], "finished");
  EXPECT_EQ(j["check"], "none");
  EXPECT_EQ(j["params"]["n"], 100);
  ASSERT_EQ(j["units"].size(), 4u);
  EXPECT_EQ(j["units"][2]["name"], "s1");
  EXPECT_EQ(j["units"][2]["busy_cycles"], 200);
  for (const char* key : {"name", "type", "busy_cycles", "firings", "final_clock", "utilization",
                          "stalled_input_cycles", "stalled_output_cycles", "idle_cycles"})
    EXPECT_TRUE(j["units"][0].contains(key)) << key;
  ASSERT_EQ(j["channels"].size(), 3u);
  EXPECT_EQ(j["channels"][1]["depth"], 4);
  EXPECT_EQ(j["channels"][1]["from"], "s0.out0");
  EXPECT_EQ(j["channels"][1]["to"], "s1.in0");
  for (const char* key : {"name", "depth", "peak_occupancy", "transfers", "left_over",
                          "producer_stall_cycles", "consumer_stall_cycles"})
    EXPECT_TRUE(j["channels"][0].contains(key)) << key;
}

TEST(Report, DeadlockIsReportedWithItsWaitForCycle) {
  LoadOptions o;
  o.overrides = {{"short_depth", "8"}, {"groups", "2"}};
  LoadedConfig cfg = load_config_file(STREAMSIM_SOURCE_DIR "/configs/fork_join.yaml", o);
  RunResult r = make_engine("fast")->run(cfg.graph);
  ASSERT_EQ(r.status, RunStatus::Deadlock);
  nlohmann::json j = json_report(cfg.graph, r, {});
  EXPECT_EQ(j["status"], "deadlock");
  ASSERT_TRUE(j.contains("deadlock"));
  EXPECT_FALSE(j["deadlock"]["blocked"].empty());
  EXPECT_FALSE(j["deadlock"]["wait_cycle"].empty());
  bool short_full = false;
  for (const auto& b : j["deadlock"]["blocked"])
    short_full =
        short_full || (b["channel"] == "short" && b["waits_for"] == "space" && b["occupancy"] == 8);
  EXPECT_TRUE(short_full) << j["deadlock"].dump(2);
  EXPECT_NE(text_report(cfg.graph, r, {}).find("status      deadlock"), std::string::npos);
}

TEST(Report, SinkExpectationsAreChecked) {
  const char* yaml = R"(
params: {last: 4}
units:
  - {name: src, type: source, params: {kind: list, values: [1, 2, 3, 4]}}
  - {name: out, type: sink, params: {expect: [1, 2, 3, "${last}"]}}
channels:
  - {from: src, to: out}
)";
  LoadedConfig good = load_config_string(yaml, "c.yaml");
  RunResult r = make_engine("fast")->run(good.graph);
  auto checks = sink_checks(r);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].passed());
  EXPECT_EQ(json_report(good.graph, r, {})["check"], "passed");

  LoadOptions o;
  o.overrides = {{"last", "5"}};
  LoadedConfig bad = load_config_string(yaml, "c.yaml", o);
  r = make_engine("fast")->run(bad.graph);
  checks = sink_checks(r);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_FALSE(checks[0].passed());
  EXPECT_EQ(checks[0].first_mismatch, 3);
  nlohmann::json j = json_report(bad.graph, r, {});
  EXPECT_EQ(j["check"], "failed");
  EXPECT_EQ(j["checks"][0]["mismatches"], 1);
  EXPECT_NE(text_report(bad.graph, r, {}).find("FAILED: sink 'out'"), std::string::npos);
}

}  // namespace
}  // namespace streamsim

namespace streamsim {
namespace {

std::string report_for(const char* config, std::vector<ParamOverride> overrides) {
  LoadOptions o;
  o.overrides = std::move(overrides);
  LoadedConfig cfg = load_config_file(std::string(STREAMSIM_SOURCE_DIR "/configs/") + config, o);
  RunResult r = make_engine("fast")->run(cfg.graph);
  return text_report(cfg.graph, r, {});
}

// A slow stage back-pressures its producer, but it is busy all the time: depth is no cure.
TEST(Report, BackPressureFromASlowStageNamesTheBottleneck) {
  const std::string text = report_for("pipeline.yaml", {{"tokens", "1000"}, {"ii", "3"}});
  EXPECT_NE(text.find("back-pressure starts at channel 'src.out->scale.in' (depth 2): its producer "
                      "waited 1994 cycles"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("its consumer 'scale' is busy 99.9% of the run: it is the bottleneck"),
            std::string::npos)
      << text;
}

// A fork-join whose short branch is slightly too shallow: the back-pressure the source sees
// starts at the short branch, whose consumer is starved on its other input. Depth is the cure.
TEST(Report, BackPressureFromAShallowBranchIsTracedToIt) {
  const std::string text = report_for("fork_join.yaml", {{"short_depth", "70"}});
  EXPECT_NE(text.find("back-pressure starts at channel 'short' (depth 70)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("a deeper FIFO there should help"), std::string::npos) << text;
  EXPECT_EQ(report_for("fork_join.yaml", {{"short_depth", "73"}}).find("back-pressure"),
            std::string::npos);
}

}  // namespace
}  // namespace streamsim
