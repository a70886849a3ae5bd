#include "sim/units/source.h"

#include <cstdio>
#include <fstream>
#include <random>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::flat;
using test::harness;
using test::mentions;

std::string temp_file(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(SourceUnit, RampEmitsStartPlusIStepThenIsDone) {
  auto h = harness("source",
                   Params().set("kind", "ramp").set("count", 4).set("start", 1.0).set("step", 0.5));
  EXPECT_EQ(h.run(), 4u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{1, 1.5, 2, 2.5}));
  EXPECT_TRUE(h.unit().rule().done);
}

TEST(SourceUnit, WideTokensTakeConsecutiveValues) {
  auto h = harness("source", Params().set("count", 3).set("width", 2));
  EXPECT_EQ(h.run(), 3u);
  EXPECT_EQ(h.output(0), (std::vector<std::vector<double>>{{0, 1}, {2, 3}, {4, 5}}));
}

TEST(SourceUnit, RepeatRestartsTheSequence) {
  auto h = harness("source", Params().set("count", 3).set("repeat", 2).set("start", 10.0));
  EXPECT_EQ(h.run(), 6u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{10, 11, 12, 10, 11, 12}));
}

TEST(SourceUnit, ConstantAndZeroCount) {
  auto h = harness("source", Params().set("kind", "constant").set("count", 2).set("value", -3.0));
  EXPECT_EQ(h.run(), 2u);
  EXPECT_EQ(h.output_scalars(0), (std::vector<double>{-3, -3}));
  auto empty = harness("source", Params().set("count", 0));
  EXPECT_EQ(empty.run(), 0u);
  EXPECT_TRUE(empty.unit().rule().done);
}

TEST(SourceUnit, RandomIsTheDocumentedMersenneTwisterStream) {
  Params p = Params()
                 .set("kind", "random")
                 .set("count", 5)
                 .set("seed", 42)
                 .set("min", -2.0)
                 .set("max", 3.0);
  auto h = harness("source", p);
  ASSERT_EQ(h.run(), 5u);
  std::mt19937_64 rng(42);
  std::vector<double> want;
  for (int i = 0; i < 5; ++i)
    want.push_back(-2.0 + 5.0 * (static_cast<double>(rng() >> 11) * 0x1.0p-53));
  EXPECT_EQ(h.output_scalars(0), want);
  for (double v : want) {
    EXPECT_GE(v, -2.0);
    EXPECT_LT(v, 3.0);
  }
}

TEST(SourceUnit, RandomRepeatsRegenerateTheSameValuesAndSeedsDiffer) {
  auto h = harness("source",
                   Params().set("kind", "random").set("count", 4).set("repeat", 3).set("width", 2));
  ASSERT_EQ(h.run(), 12u);
  auto v = flat(h.output(0));
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(v[i], v[i + 8]);
    EXPECT_EQ(v[i], v[i + 16]);
  }
  auto other = harness(
      "source", Params().set("kind", "random").set("count", 4).set("width", 2).set("seed", 2));
  other.run();
  EXPECT_NE(flat(other.output(0)), std::vector<double>(v.begin(), v.begin() + 8));
}

TEST(SourceUnit, FileKindDerivesCountFromTheFile) {
  std::string path = temp_file("src_file.txt", "# shape: 2 3\n1, 2, 3\n# a comment\n4 5\t6\n");
  auto h = harness("source",
                   Params().set("kind", "file").set("file", path).set("width", 3).set("repeat", 2));
  EXPECT_EQ(h.run(), 4u);
  EXPECT_EQ(flat(h.output(0)), (std::vector<double>{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}));
  auto prefix = harness("source", Params().set("kind", "file").set("file", path).set("count", 4));
  EXPECT_EQ(prefix.run(), 4u);
  EXPECT_EQ(prefix.output_scalars(0), (std::vector<double>{1, 2, 3, 4}));
}

TEST(SourceUnit, ListKind) {
  auto h = harness(
      "source",
      Params().set("kind", "list").set("values", std::vector<double>{7, 8, 9, 10}).set("width", 2));
  EXPECT_EQ(h.run(), 2u);
  EXPECT_EQ(flat(h.output(0)), (std::vector<double>{7, 8, 9, 10}));
}

TEST(SourceUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(build_error("source", Params().set("kind", "ramp")), "'count' is required"));
  EXPECT_TRUE(mentions(build_error("source", Params().set("kind", "file")), "'file' is required"));
  EXPECT_TRUE(mentions(
      build_error("source",
                  Params().set("count", 2).set("kind", "random").set("min", 2.0).set("max", 1.0)),
      "'max'"));
  EXPECT_TRUE(mentions(build_error("source", Params().set("count", 2).set("width", 0)), "'width'"));
  EXPECT_TRUE(
      mentions(build_error("source", Params().set("count", 2).set("repeat", 0)), "'repeat'"));
  EXPECT_TRUE(mentions(
      build_error(
          "source",
          Params().set("count", std::int64_t{1} << 40).set("repeat", std::int64_t{1} << 30)),
      "'repeat' times 'count' exceeds"));
  EXPECT_TRUE(mentions(build_error("source", Params().set("count", 2).set("kind", "rampp")),
                       "did you mean 'ramp'"));
  EXPECT_TRUE(mentions(build_error("source", Params().set("count", 2).set("file", "x.txt")),
                       "'file' is only read"));
  std::string path = temp_file("src_five.txt", "1 2 3 4 5\n");
  EXPECT_TRUE(mentions(
      build_error("source", Params().set("kind", "file").set("file", path).set("width", 2)),
      "'width' = 2 does not divide the 5 values"));
  EXPECT_TRUE(mentions(
      build_error("source", Params().set("kind", "file").set("file", path).set("count", 6)),
      "'count' = 6 needs 6 values"));
  EXPECT_TRUE(mentions(
      build_error("source", Params().set("kind", "file").set("file", "/nonexistent/t.txt")),
      "/nonexistent/t.txt: cannot read the tensor file"));
}

// describe_state is read in a deadlock, where a source is blocked sending its last computed
// token: that firing is not complete, so the state counts it apart (the report's `firings`
// counts complete firings only, and the two must agree).
TEST(SourceUnit, DescribeStateCountsSentTokensAndTheOneWaiting) {
  auto h = harness("source", Params().set("count", 3).set("repeat", 2));
  h.run(4);
  EXPECT_EQ(h.unit().describe_state(),
            "source: sent 3 of 6 tokens, token 4 waits to be sent (repetition 2 of 2)");
  auto one = harness("source", Params().set("count", 3).set("repeat", 2));
  one.run(3);  // the last token of the first repetition waits
  EXPECT_EQ(one.unit().describe_state(),
            "source: sent 2 of 6 tokens, token 3 waits to be sent (repetition 1 of 2)");
}

}  // namespace
}  // namespace streamsim::units
