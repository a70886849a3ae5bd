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
  EXPECT_TRUE(mentions(build_error("reduce", Params().set("group", 2).set("reset", -1)), "'reset'"));
  EXPECT_TRUE(mentions(build_error("reduce", Params().set("group", 2).set("op", "mean")), "'op'"));
}

}  // namespace
}  // namespace streamsim::units
