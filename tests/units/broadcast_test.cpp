#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(BroadcastUnit, OneFiringWritesEveryOutput) {
  auto h = harness("broadcast", Params().set("outputs", 3).set("width", 2));
  ASSERT_EQ(h.unit().outputs().size(), 3u);
  EXPECT_EQ(h.unit().outputs()[2].name, "out2");
  EXPECT_EQ(h.unit().rule().reads, 1u);
  EXPECT_EQ(h.unit().rule().writes, 7u);
  h.push(0, {1, 2});
  h.push(0, {3, 4});
  EXPECT_EQ(h.run(), 2u);
  for (int o = 0; o < 3; ++o)
    EXPECT_EQ(h.output(o), (std::vector<std::vector<double>>{{1, 2}, {3, 4}}));
}

TEST(BroadcastUnit, ThirtyTwoOutputsUseEveryMaskBit) {
  auto h = harness("broadcast", Params().set("outputs", 32));
  EXPECT_EQ(h.unit().rule().writes, ~0u);
  h.push_scalars(0, {5});
  h.run();
  EXPECT_EQ(h.output_scalars(31), std::vector<double>{5});
}

TEST(BroadcastUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("broadcast", Params().set("outputs", 33)), "'outputs'"));
  EXPECT_TRUE(mentions(build_error("broadcast", Params().set("outputs", 0)), "'outputs'"));
}

}  // namespace
}  // namespace streamsim::units
