#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(DotUnit, DotProductOfVectors) {
  auto h = harness("dot", Params().set("width", 3));
  h.push(0, {1, 2, 3});
  h.push(1, {4, -5, 6});
  EXPECT_EQ(h.run(), 1u);
  EXPECT_EQ(h.output_scalars(0), std::vector<double>{12});
  EXPECT_EQ(h.unit().outputs().at(0).width, 1);
}

TEST(DotUnit, LatencyDerivesFromTheAdderTree) {
  auto latency_of = [](int width) {
    return make_unit("dot", "d", Params().set("width", width))->latency();
  };
  EXPECT_EQ(latency_of(1), 1);
  EXPECT_EQ(latency_of(2), 2);
  EXPECT_EQ(latency_of(3), 3);
  EXPECT_EQ(latency_of(4), 3);
  EXPECT_EQ(latency_of(5), 4);
  EXPECT_EQ(latency_of(64), 7);
  EXPECT_EQ(make_unit("dot", "d", Params().set("width", 64).set("latency", 2))->latency(), 2);
}

TEST(DotUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("dot", Params().set("latency", -1)), "'latency'"));
  EXPECT_TRUE(mentions(build_error("dot", Params().set("width", 0)), "'width'"));
}

}  // namespace
}  // namespace streamsim::units
