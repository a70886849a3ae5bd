#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(RepeatUnit, SendsEachTokenCountTimesReadingOnlyOnTheFirst) {
  auto h = harness("repeat", Params().set("count", 3));
  h.push_scalars(0, {1, 2});
  EXPECT_EQ(h.run(), 6u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(h.unit().rule().reads, 1u);
}

TEST(RepeatUnit, KeepsSendingWithoutInputAfterTheFirstRead) {
  auto h = harness("repeat", Params().set("count", 4).set("width", 2));
  h.push(0, {7, 8});
  EXPECT_EQ(h.run(2), 2u);
  EXPECT_EQ(h.unit().rule().reads, 0u);
  EXPECT_EQ(h.unit().describe_state(), "repeat: sent 2 of 4 copies of token 0");
  EXPECT_EQ(h.run(), 2u);  // no input queued, yet the copies go out
  EXPECT_EQ(h.output(0).size(), 4u);
  EXPECT_EQ(h.output(0)[3], (std::vector<double>{7, 8}));
  EXPECT_EQ(h.unit().describe_state(), "repeat: waiting for input token 1");
}

TEST(RepeatUnit, CountIsRequiredAndPositive) {
  EXPECT_TRUE(mentions(build_error("repeat", Params()), "missing required parameter 'count'"));
  EXPECT_TRUE(mentions(build_error("repeat", Params().set("count", 0)), "'count'"));
}

}  // namespace
}  // namespace streamsim::units
