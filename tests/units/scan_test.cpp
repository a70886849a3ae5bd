#include <cmath>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(ScanUnit, EmitsRunningValueAndRestartsEveryGroup) {
  auto h = harness("scan", Params().set("group", 3));
  h.push_scalars(0, {1, 2, 3, 4, 5});
  EXPECT_EQ(h.run(), 5u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{1, 3, 6, 4, 9}));
  EXPECT_EQ(h.unit().describe_state(), "scan: 2 of 3 folded in group 1");
}

TEST(ScanUnit, RunningMaxOverVectors) {
  auto h = harness("scan", Params().set("group", 4).set("op", "max").set("width", 2));
  h.push(0, {1, 5});
  h.push(0, {3, 2});
  h.run();
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{1, 5}, {3, 5}}));
}

TEST(ScanUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("scan", Params().set("group", 0)), "'group'"));
}

}  // namespace
}  // namespace streamsim::units

namespace streamsim::units {
namespace {

TEST(ScanUnit, OnlineSoftmaxSendsCorrectionAndWeight) {
  auto h = test::harness("scan", Params().set("op", "online_softmax").set("group", 3));
  EXPECT_EQ(h.unit().outputs().at(0).width, 2);
  h.push_scalars(0, {1, 3, 2, 5});
  EXPECT_EQ(h.run(), 4u);
  const auto& out = h.output(0);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], (std::vector<double>{0, 1}));               // m = 1
  EXPECT_EQ(out[1], (std::vector<double>{std::exp(-2.0), 1}));  // m 1 -> 3
  EXPECT_EQ(out[2], (std::vector<double>{1, std::exp(-1.0)}));  // m stays 3
  EXPECT_EQ(out[3], (std::vector<double>{0, 1}));               // new group: m = 5
}

TEST(ScanUnit, OnlineSoftmaxNeedsScalarScores) {
  EXPECT_TRUE(test::mentions(
      test::build_error("scan",
                        Params().set("op", "online_softmax").set("group", 2).set("width", 2)),
      "'width' must be 1 for op online_softmax"));
  EXPECT_TRUE(test::mentions(
      test::build_error("reduce", Params().set("op", "online_softmax").set("group", 2)), "'op'"));
}

}  // namespace
}  // namespace streamsim::units
