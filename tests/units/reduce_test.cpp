#include <limits>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(ReduceUnit, SumsGroupsElementWise) {
  auto h = harness("reduce", Params().set("group", 3).set("width", 2));
  for (int i = 1; i <= 7; ++i) h.push(0, {double(i), double(10 * i)});
  EXPECT_EQ(h.run(), 7u);
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{6, 60}, {15, 150}}));
  EXPECT_EQ(h.unit().describe_state(), "reduce: 1 of 3 folded in group 2");
}

TEST(ReduceUnit, OpsAndInit) {
  auto fold = [](const std::string& op, Params p = {}) {
    auto h = harness("reduce", p.set("op", op).set("group", 4));
    h.push_scalars(0, {3, -1, 4, 2});
    h.run();
    return h.output_scalars(0).at(0);
  };
  EXPECT_EQ(fold("sum"), 8);
  EXPECT_EQ(fold("max"), 4);
  EXPECT_EQ(fold("min"), -1);
  EXPECT_EQ(fold("prod"), -24);
  EXPECT_EQ(fold("sum", Params().set("init", 100.0)), 108);
  EXPECT_EQ(fold("max", Params().set("init", 9.0)), 9);
}

TEST(ReduceUnit, ResetLengthensTheWritingFiring) {
  auto h = harness("reduce", Params().set("group", 2).set("reset", 4).set("ii", 2));
  h.push_scalars(0, {1, 2, 3, 4});
  h.run();
  EXPECT_EQ(h.firing_iis(), (std::vector<Cycle>{2, 6, 2, 6}));
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{3, 7}));
}

TEST(ReduceUnit, GroupOfOneWritesEveryFiring) {
  auto h = harness("reduce", Params().set("group", 1).set("op", "max"));
  h.push_scalars(0, {5, -5});
  h.run();
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{5, -5}));
}

TEST(ReduceUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("reduce", Params()), "missing required parameter 'group'"));
  EXPECT_TRUE(
      mentions(build_error("reduce", Params().set("group", 2).set("reset", -1)), "'reset'"));
  EXPECT_TRUE(mentions(build_error("reduce", Params().set("group", 2).set("op", "mean")), "'op'"));
}

}  // namespace
}  // namespace streamsim::units

namespace streamsim::units {
namespace {

TEST(ReduceUnit, RescaleSumFoldsAccTimesCPlusX) {
  auto h =
      test::harness("reduce", Params().set("op", "rescale_sum").set("group", 3).set("width", 2));
  EXPECT_EQ(h.unit().inputs().at(0).width, 3);  // (c, x0, x1)
  h.push(0, {0.0, 1, 2});
  h.push(0, {2.0, 3, 4});
  h.push(0, {0.5, 1, 1});
  h.run();
  // ((0*0 + 1)*2 + 3)*0.5 + 1 = 3.5; ((0 + 2)*2 + 4)*0.5 + 1 = 5
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{3.5, 5}}));
}

TEST(ReduceUnit, RescaleWeightedSumFoldsAccTimesCPlusEV) {
  auto h = test::harness(
      "reduce", Params().set("op", "rescale_weighted_sum").set("group", 2).set("width", 2));
  EXPECT_EQ(h.unit().inputs().at(0).width, 4);  // (c, e, v0, v1)
  h.push(0, {0.0, 2, 1, 10});
  h.push(0, {0.5, 3, 2, 20});
  h.run();
  // (2*v)*0.5 + 3*v' : (2*1)*0.5 + 3*2 = 7; (2*10)*0.5 + 3*20 = 70
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{7, 70}}));
}

}  // namespace
}  // namespace streamsim::units
