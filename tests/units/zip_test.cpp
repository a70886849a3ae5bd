#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

TEST(ZipUnit, ConcatenatesAThenB) {
  auto h = harness("zip", Params().set("width_a", 2).set("width_b", 1));
  EXPECT_EQ(h.unit().outputs().at(0).width, 3);
  h.push(0, {1, 2});
  h.push(0, {3, 4});
  h.push(1, {9});
  EXPECT_EQ(h.run(), 1u);  // the second firing waits for b
  h.push(1, {8});
  EXPECT_EQ(h.run(), 1u);
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{1, 2, 9}, {3, 4, 8}}));
}

TEST(ZipUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("zip", Params().set("width_a", 0)), "'width_a'"));
  EXPECT_TRUE(mentions(build_error("zip", Params().set("width_a", 1 << 20).set("width_b", 1)),
                       "'width_b'"));
}

}  // namespace
}  // namespace streamsim::units
