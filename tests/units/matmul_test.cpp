#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

// A is 2x3, B is 3x2 (given row-major here); C = A*B.
const std::vector<double> kA = {1, 2, 3, 4, 5, 6};
const std::vector<double> kB = {7, 8, 9, 10, 11, 12};
const std::vector<double> kC = {58, 64, 139, 154};

std::vector<double> b_column_major(int m_repeats) {
  std::vector<double> out;
  for (int r = 0; r < m_repeats; ++r)
    for (int j = 0; j < 2; ++j)
      for (int t = 0; t < 3; ++t) out.push_back(kB[t * 2 + j]);
  return out;
}

TEST(MatmulUnit, BufferedReadsAOncePerRowAndBOncePerOutput) {
  auto h = harness("matmul", Params().set("m", 2).set("k", 3).set("n", 2));
  h.push_scalars(0, kA);
  h.push_scalars(1, b_column_major(2));
  EXPECT_EQ(h.run(), 12u);  // m*n*k MACs, one per firing
  EXPECT_EQ(h.output_scalars(0), kC);
  EXPECT_TRUE(h.unit().rule().done);
  EXPECT_EQ(h.pending(0), 0u);
  EXPECT_EQ(h.pending(1), 0u);
}

TEST(MatmulUnit, BufferedDoesNotReadAForLaterColumns) {
  auto h = harness("matmul", Params().set("m", 2).set("k", 3).set("n", 2));
  h.push_scalars(0, {1, 2, 3});  // only row 0 of A
  h.push_scalars(1, b_column_major(1));
  EXPECT_EQ(h.run(), 6u);  // row 0 completes; row 1 then waits for A
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{58, 64}));
  EXPECT_EQ(h.unit().rule().reads, 3u);
  EXPECT_EQ(h.unit().describe_state(), "matmul: element (1,0) of 2x2, 0 of 3 MACs");
}

TEST(MatmulUnit, RepeatedReadsBothEveryFiring) {
  auto h = harness("matmul", Params().set("m", 2).set("k", 3).set("n", 2).set("mode", "repeated"));
  std::vector<double> a;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int t = 0; t < 3; ++t) a.push_back(kA[i * 3 + t]);
  h.push_scalars(0, a);
  h.push_scalars(1, b_column_major(2));
  EXPECT_EQ(h.run(), 12u);
  EXPECT_EQ(h.output_scalars(0), kC);
  EXPECT_EQ(h.pending(0), 0u);
}

TEST(MatmulUnit, WritesOnTheKthMac) {
  auto h = harness("matmul", Params().set("m", 1).set("k", 2).set("n", 1));
  EXPECT_EQ(h.unit().rule().writes, 0u);
  h.push_scalars(0, {2});
  h.push_scalars(1, {5});
  h.run();
  EXPECT_EQ(h.unit().rule().writes, 1u);
  EXPECT_TRUE(h.output(0).empty());
}

TEST(MatmulUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("matmul", Params().set("m", 2).set("n", 2)),
                       "missing required parameter 'k'"));
  EXPECT_TRUE(mentions(build_error("matmul", Params().set("m", 2).set("n", 2).set("k", 0)), "'k'"));
  EXPECT_TRUE(mentions(
      build_error("matmul", Params().set("m", 1).set("n", 1).set("k", 1).set("mode", "buffer")),
      "did you mean 'buffered'"));
}

}  // namespace
}  // namespace streamsim::units
