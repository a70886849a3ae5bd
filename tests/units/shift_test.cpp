#include <cmath>
#include <limits>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

TEST(ShiftUnit, SendsThePreviousTokenOfTheGroupWithInitFirst) {
  auto h = test::harness("shift", Params().set("group", 3).set("init", -1.0));
  h.push_scalars(0, {10, 11, 12, 20, 21, 22, 30});
  EXPECT_EQ(h.run(), 7u);
  // Each group's last token (12, 22) is dropped; every group starts from init.
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{-1, 10, 11, -1, 20, 21, -1}));
  EXPECT_EQ(h.unit().describe_state(), "shift: 1 of 3 tokens of group 2");
}

TEST(ShiftUnit, RunningMaxBeforeEachStepFromAScan) {
  // scan(max) gives RM[v+1]; shift gives RM[v] with RM[0] = -inf: the pair a correction
  // factor exp(RM[v] - RM[v+1]) needs.
  const double inf = std::numeric_limits<double>::infinity();
  auto h = test::harness("shift", Params().set("group", 4).set("init", -inf).set("width", 2));
  h.push(0, {1, 5});
  h.push(0, {3, 5});
  h.run();
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{-inf, -inf}, {1, 5}}));
}

TEST(ShiftUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(test::mentions(test::build_error("shift", Params().set("group", 0)), "'group'"));
  EXPECT_TRUE(test::mentions(test::build_error("shift", Params()), "'group'"));
}

}  // namespace
}  // namespace streamsim::units
