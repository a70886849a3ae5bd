#include "sim/units/sink.h"

#include <cmath>
#include <fstream>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::build_error;
using test::harness;
using test::mentions;

SinkUnit& sink_of(UnitHarness& h) {
  return dynamic_cast<SinkUnit&>(h.unit());
}

TEST(SinkUnit, KeepsCountsAndSums) {
  auto h = harness("sink", Params().set("keep", 2));
  h.push_scalars(0, {1, 2, 3.5});
  EXPECT_EQ(h.run(), 3u);
  SinkUnit& s = sink_of(h);
  EXPECT_EQ(s.values(), (std::vector<double>{1, 2}));
  EXPECT_EQ(s.count(), 3u);
  EXPECT_EQ(s.sum(), 6.5);
  EXPECT_FALSE(s.has_expectation());
  EXPECT_EQ(s.mismatches(), 0u);
  EXPECT_FALSE(s.rule().done);  // count 0: consumes until the stream ends
}

TEST(SinkUnit, WideTokensAreFlattened) {
  auto h = harness("sink", Params().set("width", 2));
  h.push(0, {1, 2});
  h.push(0, {3, 4});
  h.run();
  EXPECT_EQ(sink_of(h).values(), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(sink_of(h).count(), 2u);
  EXPECT_EQ(sink_of(h).value_count(), 4u);
}

TEST(SinkUnit, CountStopsConsuming) {
  auto h = harness("sink", Params().set("count", 2));
  h.push_scalars(0, {1, 2, 3});
  EXPECT_EQ(h.run(), 2u);
  EXPECT_TRUE(h.unit().rule().done);
  EXPECT_EQ(h.pending(0), 1u);
}

TEST(SinkUnit, ComparesAgainstExpectWithTolerance) {
  auto h =
      harness("sink", Params().set("expect", std::vector<double>{1, 2, 3}).set("tolerance", 0.1));
  h.push_scalars(0, {1.05, 2.5, 3});
  h.run();
  SinkUnit& s = sink_of(h);
  EXPECT_EQ(s.mismatches(), 1u);
  EXPECT_EQ(s.first_mismatch(), 1);
  EXPECT_DOUBLE_EQ(s.max_abs_error(), 0.5);
}

TEST(SinkUnit, ExtraAndMissingValuesAreMismatches) {
  auto extra = harness("sink", Params().set("expect", std::vector<double>{1}));
  extra.push_scalars(0, {1, 2});
  extra.run();
  EXPECT_EQ(sink_of(extra).mismatches(), 1u);
  EXPECT_EQ(sink_of(extra).first_mismatch(), 1);
  auto missing = harness("sink", Params().set("expect", std::vector<double>{1, 2, 3}));
  missing.push_scalars(0, {1});
  missing.run();
  EXPECT_EQ(sink_of(missing).missing(), 2u);
  EXPECT_EQ(sink_of(missing).mismatches(), 2u);
  EXPECT_EQ(sink_of(missing).max_abs_error(), 0.0);
}

TEST(SinkUnit, NanMismatchesUnlessExpected) {
  auto h = harness("sink", Params().set("expect", std::vector<double>{1, NAN}));
  h.push_scalars(0, {NAN, NAN});
  h.run();
  EXPECT_EQ(sink_of(h).mismatches(), 1u);
  EXPECT_TRUE(std::isinf(sink_of(h).max_abs_error()));
}

TEST(SinkUnit, ExpectFile) {
  std::string path = ::testing::TempDir() + "/sink_expect.txt";
  std::ofstream(path) << "# shape: 2\n4 5\n";
  auto h = harness("sink", Params().set("expect_file", path));
  h.push_scalars(0, {4, 5});
  h.run();
  EXPECT_EQ(sink_of(h).expected_count(), 2u);
  EXPECT_EQ(sink_of(h).mismatches(), 0u);
  EXPECT_EQ(h.unit().describe_state(),
            "sink: received 2 tokens, 0 mismatches against 2 expected values");
}

TEST(SinkUnit, ErrorsNameTheParameter) {
  EXPECT_TRUE(mentions(
      build_error("sink", Params().set("expect", std::vector<double>{1}).set("expect_file", "f")),
      "'expect_file' cannot be combined"));
  EXPECT_TRUE(mentions(build_error("sink", Params().set("tolerance", -1.0)), "'tolerance'"));
  EXPECT_TRUE(mentions(build_error("sink", Params().set("count", -1)), "'count'"));
}

}  // namespace
}  // namespace streamsim::units
