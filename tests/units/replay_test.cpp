#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

TEST(ReplayUnit, SendsEachGroupCountTimesReadingItOnce) {
  auto h = test::harness("replay", Params().set("group", 2).set("count", 3));
  h.push_scalars(0, {1, 2, 7, 8});
  EXPECT_EQ(h.run(), 12u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{1, 2, 1, 2, 1, 2, 7, 8, 7, 8, 7, 8}));
  EXPECT_EQ(h.unit().describe_state(), "replay: token 0 of 2, copy 1 of 3");
}

TEST(ReplayUnit, VectorsAndCountOneIsPassThrough) {
  auto h = test::harness("replay", Params().set("group", 1).set("count", 1).set("width", 2));
  h.push(0, {1, 5});
  h.push(0, {3, 4});
  EXPECT_EQ(h.run(), 2u);
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{1, 5}, {3, 4}}));
}

TEST(ReplayUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(test::mentions(test::build_error("replay", Params().set("group", 2)), "'count'"));
  EXPECT_TRUE(test::mentions(test::build_error("replay", Params().set("group", 0).set("count", 1)), "'group'"));
}

}  // namespace
}  // namespace streamsim::units
