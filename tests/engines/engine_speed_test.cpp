// Not a test: a manual speed check of both engines (run with --gtest_also_run_disabled_tests
// --gtest_filter='*EngineSpeed*'). It asserts only the cycle count; the timing is printed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "sim/engines/engine.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using namespace streamsim::testing;

TEST(EngineSpeed, DISABLED_EightStagePipeline) {
  const char* env = std::getenv("STREAMSIM_SPEED_TOKENS");
  const std::uint64_t tokens = env ? std::strtoull(env, nullptr, 10) : 1000000;
  Graph g;
  g.add_custom_unit("src", [=] { return std::make_unique<CountingSource>("src", tokens); });
  std::string prev = "src";
  for (int i = 0; i < 8; ++i) {
    std::string name = "s" + std::to_string(i);
    g.add_custom_unit(name, [=] { return std::make_unique<PassStage>(name); });
    g.connect(prev, name, ChannelTiming{2, 1, 1});
    prev = name;
  }
  g.add_custom_unit("sink", [] { return std::make_unique<CountingSink>("sink"); });
  g.connect(prev, "sink", ChannelTiming{2, 1, 1});
  for (const std::string engine : {"fast", "systemc"}) {
    RunResult r = make_engine(engine)->run(g);
    EXPECT_EQ(r.cycles, static_cast<Cycle>(tokens) + 9);
    std::cout << engine << ": " << tokens << " tokens, " << r.transfers << " transfers, "
              << r.wall_seconds << " s, " << 1e9 * r.wall_seconds / static_cast<double>(r.transfers)
              << " ns/transfer\n";
  }
}

}  // namespace
}  // namespace streamsim
