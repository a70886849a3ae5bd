// Class 2 of issue 12: times and products of user numbers that would overflow. Each case runs
// the binary and asserts exit status 1 and a message naming the channel or unit and the value;
// none may exit 0 with a wrong figure, crash or hang. Every case runs on both engines.
#include <gtest/gtest.h>

#include <string>

#include "tests/hostile/hostile_support.h"
#include "tests/support/asan_systemc.h"
#include "tests/support/run_streamsim.h"
#include "tests/support/scratch_dir.h"

namespace streamsim {
namespace {

using testing::CliResult;
using testing::run_streamsim;

// source -> map -> sink, with the channel from the map to the sink given `channel_extra`
// (e.g. "latency: 5") and the map's params `map_extra`.
std::string pipeline(const std::string& channel_extra, const std::string& map_extra = "",
                     const std::string& source_extra = "") {
  return "units:\n"
         "  - {name: src, type: source, params: {kind: ramp, count: 100" +
         source_extra +
         "}}\n"
         "  - {name: m, type: map, params: {op: id" +
         map_extra +
         "}}\n"
         "  - {name: out, type: sink}\n"
         "channels:\n"
         "  - {from: src, to: m}\n"
         "  - {from: m, to: out" +
         (channel_extra.empty() ? "" : ", " + channel_extra) + "}\n";
}

class TimeOverflow : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (testing::kAsanWithSystemCStacks && GetParam() == "systemc")
      GTEST_SKIP() << testing::asan_systemc_skip_reason();
  }
  // Runs FILE (written from `yaml`) on this test's engine.
  CliResult run(const std::string& yaml, const std::string& extra = "") {
    const std::string file = scratch_.write("arch.yaml", yaml);
    return run_streamsim("run " + file + " --engine " + GetParam() + " --no-progress " + extra,
                         scratch_.path());
  }
  static void expect_error(const CliResult& r, std::initializer_list<std::string> words) {
    expect_refusal_naming(r, words);
  }
  testing::ScratchDir scratch_{"time-overflow"};
};

TEST_P(TimeOverflow, ChannelLatencyTwoToThe62IsRefusedNamingTheChannel) {
  expect_error(run(pipeline("latency: 4611686018427387904")),
               {"arch.yaml:", "channel 'm.out->out.in'", "latency 4611686018427387904",
                "1099511627776 (2^40)"});
}

TEST_P(TimeOverflow, ChannelLatencyInt64MaxIsRefused) {
  // The example: "11 cycles" and a peak above the depth, exit 0, before.
  expect_error(run(pipeline("latency: 9223372036854775807")),
               {"channel 'm.out->out.in'", "latency 9223372036854775807"});
}

TEST_P(TimeOverflow, ChannelLatencyTwoE18WrittenAsAFloatIsRefused) {
  expect_error(run(pipeline("latency: 2e18")),
               {"channel 'm.out->out.in'", "latency 2000000000000000000"});
}

TEST_P(TimeOverflow, ResponseLatencyNear2To63IsRefused) {
  expect_error(run(pipeline("response_latency: 9000000000000000000")),
               {"channel 'm.out->out.in'", "response_latency 9000000000000000000"});
}

TEST_P(TimeOverflow, DefaultsLatencyFromSetIsRefusedAtTheChannel) {
  const std::string yaml = "params: {lat: 1}\ndefaults: {latency: \"${lat}\"}\n" + pipeline("");
  expect_error(run(yaml, "--set lat=4611686018427387904"),
               {"channel 'src.out->m.in'", "latency 4611686018427387904"});
}

TEST_P(TimeOverflow, UnitLatencyAboveTheLargestDelayIsRefusedNamingTheUnit) {
  expect_error(run(pipeline("", ", latency: 1125899906842624")),
               {"unit 'm' (type map)", "parameter 'latency' = 1125899906842624",
                "between 1 and 1099511627776"});
}

TEST_P(TimeOverflow, UnitIiInt64MaxIsOutOfRangeNotNotAnInteger) {
  expect_error(run(pipeline("", ", ii: 9223372036854775807")),
               {"unit 'm' (type map)", "parameter 'ii'", "out of range", "1099511627776"});
}

TEST_P(TimeOverflow, ReduceResetAboveTheLargestDelayIsRefused) {
  const std::string yaml =
      "units:\n"
      "  - {name: src, type: source, params: {kind: ramp, count: 8}}\n"
      "  - {name: r, type: reduce, params: {group: 4, reset: 4611686018427387904}}\n"
      "  - {name: out, type: sink}\n"
      "channels:\n  - {from: src, to: r}\n  - {from: r, to: out}\n";
  expect_error(run(yaml), {"unit 'r' (type reduce)", "parameter 'reset' = 4611686018427387904"});
}

TEST_P(TimeOverflow, MaxCyclesAboveTheLargestTimeIsRefused) {
  expect_error(run(pipeline(""), "--max-cycles 9000000000000000000"),
               {"max cycles 9000000000000000000", "4611686018427387904 (2^62)"});
}

TEST_P(TimeOverflow, ARunThatReachesTheLargestTimeIsAnErrorNamingTheUnit) {
  // Every delay is legal (2^40), but 5 M firings of a source with II 2^40 would take the clock
  // to 5.5e18 > 2^62: the run stops there with an error, never a wrapped time.
  const std::string yaml =
      pipeline("latency: 1099511627776", ", latency: 1099511627776", ", ii: 1099511627776");
  std::string long_run = yaml;
  long_run.replace(long_run.find("count: 100"), 10, "count: 5000000");
  const CliResult r = run(long_run);
  expect_error(
      r, {"unit '", "past the largest simulated time 4611686018427387904 (2^62)", "--max-cycles"});
  EXPECT_EQ(r.out.find("cycles"), std::string::npos) << "no report of a wrong run: " << r.out;
}

TEST_P(TimeOverflow, LargestDelaysEverywhereStillGiveExactCycles) {
  // The bound is not merely a refusal: at the largest legal delays a short run is exact.
  // 3 tokens through src (II D = 2^40) -> m (latency D) -> out, channel m -> out latency D:
  // token k leaves src at kD, is visible to m at kD + 1 and to out at (k + 1)D + 1, so out's
  // last firing ends at 3D + 2.
  std::string yaml =
      pipeline("latency: 1099511627776", ", latency: 1099511627776", ", ii: 1099511627776");
  yaml.replace(yaml.find("count: 100"), 10, "count: 3");
  const CliResult r = run(yaml, "--json -");
  EXPECT_EQ(r.code, 0) << r.err;
  const long long expect = 3LL * 1099511627776LL + 2;
  EXPECT_NE(r.out.find("\"cycles\": " + std::to_string(expect) + ","), std::string::npos) << r.out;
}

TEST_P(TimeOverflow, SdpaTotalValuesAboveTwoToThe62AreRefused) {
  // heads x N x N x D = 2^20 x 2^24 x 2^24 x 1 = 2^68 values: the source's counters would wrap.
  const std::string yaml =
      "units:\n"
      "  - {name: q, type: sdpa_source, params: {tensor: q, N: 16777216, D: 1, heads: 1048576, "
      "order: per_query, width: scalar}}\n"
      "  - {name: out, type: sink}\n"
      "channels:\n  - {from: q, to: out}\n";
  expect_error(run(yaml), {"unit 'q' (type sdpa_source)", "16777216", "1048576", "2^62"});
}

INSTANTIATE_TEST_SUITE_P(Engines, TimeOverflow, ::testing::Values("fast", "systemc"));

// The spatial compiler's tile times come from products of the architecture and the sequence.
TEST(TimeOverflowSpatial, AHugeSequenceIsRefusedNamingTheStage) {
  testing::ScratchDir scratch("time-overflow-spatial");
  const CliResult r = run_streamsim(
      "spatial configs/spatial/fusemax.yaml --arch configs/spatial/cloud.yaml --seq "
      "4611686018427387904",
      scratch.path());
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("spatial"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamsim
