#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(PackUnit, WritesOnEveryWidththFiring) {
  auto h = harness("pack", Params().set("width", 3));
  EXPECT_EQ(h.unit().inputs().at(0).width, 1);
  EXPECT_EQ(h.unit().outputs().at(0).width, 3);
  h.push_scalars(0, {1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(h.run(), 7u);
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{1, 2, 3}, {4, 5, 6}}));
  EXPECT_EQ(h.unit().describe_state(), "pack: 1 of 3 values of vector 2");
}

TEST(PackUnit, WidthOneWritesEveryFiring) {
  auto h = harness("pack", Params());
  h.push_scalars(0, {1, 2});
  h.run();
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{1, 2}));
}

TEST(PackUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("pack", Params().set("width", 0)), "'width'"));
}

}  // namespace
}  // namespace streamsim::units
