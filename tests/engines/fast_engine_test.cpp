#include "sim/engines/fast/fast_engine.h"

#include <gtest/gtest.h>

#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using testing::CollectingSink;
using testing::CountingSource;
using testing::PassStage;

Graph pipeline(int stages, std::uint64_t tokens, Cycle depth, Cycle ii = 1, Cycle latency = 1,
               Cycle L = 1, Cycle R = 1) {
  Graph g;
  g.add_custom_unit("src", [=] { return std::make_unique<CountingSource>("src", tokens); });
  std::string prev = "src";
  for (int i = 0; i < stages; ++i) {
    std::string name = "s" + std::to_string(i);
    g.add_custom_unit(name, [=] { return std::make_unique<PassStage>(name, 1, 1, ii, latency); });
    g.connect(prev, name, ChannelTiming{depth, L, R});
    prev = name;
  }
  g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
  g.connect(prev, "sink", ChannelTiming{depth, L, R});
  return g;
}

TEST(FastEngine, OneTokenThroughOneUnitTakesThreeCycles) {
  FastEngine e;
  RunResult r = e.run(pipeline(1, 1, 1));
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 3);
  EXPECT_EQ(r.unit_as<CollectingSink>("sink")->values, std::vector<double>{0});
}

TEST(FastEngine, EightStagesAtFullRate) {
  FastEngine e;
  RunResult r = e.run(pipeline(8, 1000, 2));
  EXPECT_EQ(r.cycles, 1009);
  EXPECT_EQ(r.unit_as<CollectingSink>("sink")->values.size(), 1000u);
  for (const auto& c : r.channels) EXPECT_EQ(c.transfers, 1000u);
}

TEST(FastEngine, DepthOneIsHalfRate) {
  FastEngine e;
  RunResult r = e.run(pipeline(1, 1000, 1));
  // (L+R)/C = 2 cycles per token in steady state.
  EXPECT_NEAR(static_cast<double>(r.cycles), 2000.0, 3.0);
}

}  // namespace
}  // namespace streamsim
