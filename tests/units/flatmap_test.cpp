#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(FlatmapUnit, UnpackSendsOneScalarPerFiring) {
  auto h = harness("flatmap", Params().set("op", "unpack").set("width", 3));
  h.push(0, {1, 2, 3});
  h.push(0, {4, 5, 6});
  EXPECT_EQ(h.run(4), 4u);
  EXPECT_EQ(h.pending(0), 0u);  // the 4th firing read the second vector
  EXPECT_EQ(h.unit().describe_state(), "flatmap: sent 1 of 3 values of token 1");
  EXPECT_EQ(h.run(), 2u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(FlatmapUnit, DivLastAndMulLast) {
  auto d = harness("flatmap", Params().set("op", "div_last").set("width", 3));
  d.push(0, {2, 6, 4});
  EXPECT_EQ(d.run(), 2u);
  EXPECT_EQ(d.output_scalars(0), (std::vector<double>{0.5, 1.5}));
  auto m = harness("flatmap", Params().set("op", "mul_last").set("width", 2));
  m.push(0, {2, 3});
  m.push(0, {4, 5});
  EXPECT_EQ(m.run(), 2u);  // width-1 = 1 output per vector: every firing reads
  EXPECT_EQ(m.output_scalars(0), (std::vector<double>{6, 20}));
}

TEST(FlatmapUnit, UnpackAlias) {
  auto h = harness("unpack", Params().set("width", 2));
  EXPECT_EQ(h.unit().type(), "unpack");
  h.push(0, {8, 9});
  EXPECT_EQ(h.run(), 2u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{8, 9}));
}

TEST(FlatmapUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("flatmap", Params().set("op", "div_last")),
                       "'width' must be >= 2 for op div_last"));
  EXPECT_TRUE(mentions(build_error("flatmap", Params().set("op", "div")), "'op'"));
}

}  // namespace
}  // namespace streamsim::units
