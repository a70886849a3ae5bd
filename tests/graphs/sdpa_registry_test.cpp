#include "graphs/sdpa/sdpa_registry.h"

#include <gtest/gtest.h>

#include "graphs/sdpa/sdpa_graph.h"
#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "sim/units/sink.h"

namespace streamsim::sdpa {
namespace {

std::string error_of(const std::map<std::string, std::string>& params) {
  try {
    build_sdpa(params);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(SdpaRegistry, BuildsAndRunsFromText) {
  Graph g = build_sdpa({{"variant", "reordered"}, {"N", "16"}, {"D", "4"}, {"width", "vector"}});
  RunResult r = make_engine("fast")->run(g);
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 16 * 16 + 10);
  const auto* sink = r.unit_as<units::SinkUnit>(kSdpaSink);
  EXPECT_TRUE(sink->has_expectation());
  EXPECT_EQ(sink->mismatches(), 0u);
}

TEST(SdpaRegistry, ParsesEveryKey) {
  SdpaParams p = parse_sdpa_params({{"variant", "naive_stable"}, {"N", "7"}, {"D", "3"}, {"heads", "2"},
                                    {"width", "scalar"}, {"seed", "9"}, {"score_scale", "2.5"},
                                    {"short_depth", "4"}, {"long_depth", "12"}, {"check", "false"},
                                    {"keep", "5"}, {"ii.exp", "2"}, {"latency.exp", "3"}});
  EXPECT_EQ(p.variant, Variant::NaiveStable);
  EXPECT_EQ(p.N, 7);
  EXPECT_EQ(p.D, 3);
  EXPECT_EQ(p.heads, 2);
  EXPECT_EQ(p.width, Width::Scalar);
  EXPECT_EQ(p.seed, 9u);
  EXPECT_EQ(p.score_scale, 2.5);
  EXPECT_EQ(p.short_depth, 4);
  EXPECT_EQ(p.long_depth, 12);
  EXPECT_FALSE(p.check);
  EXPECT_EQ(p.keep, 5u);
  EXPECT_EQ(p.timing.at("exp").ii, 2);
  EXPECT_EQ(p.timing.at("exp").latency, 3);
}

TEST(SdpaRegistry, TimingOverrideReachesTheUnit) {
  Graph g = build_sdpa({{"variant", "reordered"}, {"N", "8"}, {"D", "4"}, {"latency.scan", "5"}, {"check", "false"}});
  // Four more cycles on the critical path; the derived short depth keeps full rate.
  EXPECT_EQ(make_engine("fast")->run(g).cycles, 8 * 8 + 10 + 4);
}

TEST(SdpaRegistry, UnknownKeyIsNamed) {
  const std::string msg = error_of({{"variant", "naive"}, {"long_dept", "3"}});
  EXPECT_NE(msg.find("unknown parameter 'long_dept'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'long_depth'"), std::string::npos) << msg;
}

TEST(SdpaRegistry, BadValuesAreNamed) {
  EXPECT_NE(error_of({{"N", "abc"}}).find("'N' = 'abc' is not an integer"), std::string::npos);
  EXPECT_NE(error_of({{"N", "0"}}).find("'N' = '0'"), std::string::npos);
  EXPECT_NE(error_of({{"variant", "fast"}}).find("unknown SDPA variant 'fast'"), std::string::npos);
  EXPECT_NE(error_of({{"check", "yes"}}).find("true or false"), std::string::npos);
  EXPECT_NE(error_of({{"latency.nope", "2"}}).find("unknown unit 'nope'"), std::string::npos);
}

}  // namespace
}  // namespace streamsim::sdpa
