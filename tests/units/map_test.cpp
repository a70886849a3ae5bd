#include <cmath>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

double unary(const std::string& op, double x, Params p = {}) {
  auto h = harness("map", p.set("op", op));
  h.push_scalars(0, {x});
  EXPECT_EQ(h.run(), 1u);
  return h.output_scalars(0).at(0);
}

double binary(const std::string& op, double a, double b) {
  auto h = harness("map", Params().set("op", op));
  EXPECT_EQ(h.unit().inputs().at(0).name, "a");
  EXPECT_EQ(h.unit().inputs().at(1).name, "b");
  h.push_scalars(0, {a});
  h.push_scalars(1, {b});
  EXPECT_EQ(h.run(), 1u);
  return h.output_scalars(0).at(0);
}

TEST(MapUnit, UnaryOps) {
  EXPECT_EQ(unary("id", 2.5), 2.5);
  EXPECT_EQ(unary("neg", 2.5), -2.5);
  EXPECT_EQ(unary("abs", -2.5), 2.5);
  EXPECT_EQ(unary("exp", 1.0), std::exp(1.0));
  EXPECT_EQ(unary("log", 2.0), std::log(2.0));
  EXPECT_EQ(unary("sqrt", 9.0), 3.0);
  EXPECT_EQ(unary("recip", 4.0), 0.25);
  EXPECT_EQ(unary("square", -3.0), 9.0);
  EXPECT_EQ(unary("relu", -3.0), 0.0);
  EXPECT_EQ(unary("relu", 3.0), 3.0);
  EXPECT_EQ(unary("scale", 3.0, Params().set("factor", 0.5)), 1.5);
  EXPECT_EQ(unary("offset", 3.0, Params().set("constant", -1.0)), 2.0);
}

TEST(MapUnit, BinaryOps) {
  EXPECT_EQ(binary("add", 3, 4), 7);
  EXPECT_EQ(binary("sub", 3, 4), -1);
  EXPECT_EQ(binary("mul", 3, 4), 12);
  EXPECT_EQ(binary("div", 3, 4), 0.75);
  EXPECT_EQ(binary("max", 3, 4), 4);
  EXPECT_EQ(binary("min", 3, 4), 3);
}

TEST(MapUnit, ElementWiseOverWidthAndOneTokenPerFiring) {
  auto h = harness("map", Params().set("op", "square").set("width", 3));
  h.push(0, {1, 2, 3});
  h.push(0, {4, 5, 6});
  EXPECT_EQ(h.run(), 2u);
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{1, 4, 9}, {16, 25, 36}}));
}

TEST(MapUnit, BinaryWaitsForBothInputs) {
  auto h = harness("map", Params().set("op", "add"));
  h.push_scalars(0, {1, 2});
  h.push_scalars(1, {10});
  EXPECT_EQ(h.run(), 1u);
  EXPECT_EQ(h.pending(0), 1u);
}

TEST(MapUnit, BScalarBroadcastsOverA) {
  auto h = harness("map", Params().set("op", "mul").set("width", 3).set("b_scalar", true));
  EXPECT_EQ(h.unit().inputs().at(1).width, 1);
  h.push(0, {1, 2, 3});
  h.push_scalars(1, {-2});
  h.run();
  EXPECT_EQ(h.output(0).at(0), (std::vector<double>{-2, -4, -6}));
}

TEST(MapUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("map", Params()), "missing required parameter 'op'"));
  EXPECT_TRUE(mentions(build_error("map", Params().set("op", "expp")), "did you mean 'exp'"));
  EXPECT_TRUE(
      mentions(build_error("map", Params().set("op", "exp").set("b_scalar", true)), "'b_scalar'"));
  EXPECT_TRUE(mentions(build_error("map", Params().set("op", "exp").set("ii", 0)), "'ii'"));
  EXPECT_TRUE(
      mentions(build_error("map", Params().set("op", "exp").set("latency", 0)), "'latency'"));
}

TEST(MapUnit, TimingComesFromParams) {
  auto u = make_unit("map", "m", Params().set("op", "id").set("ii", 3).set("latency", 5));
  EXPECT_EQ(u->ii(), 3);
  EXPECT_EQ(u->latency(), 5);
  EXPECT_EQ(u->type(), "map");
}

}  // namespace
}  // namespace streamsim::units
