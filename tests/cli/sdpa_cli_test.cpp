// The shipped SDPA configs (built-in graph `sdpa`) through the `streamsim` binary: `run`
// reports the max abs error against the reference, deadlocks and overflow show in the exit
// status, and `size` finds the naive O(N) long FIFO and constant depths for reordered.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include "tests/support/run_streamsim.h"

#include <utility>
#include <vector>

namespace {

using Result = streamsim::testing::CliResult;
using streamsim::testing::slurp;

// Runs `streamsim ARGS` in a scratch directory of its own.
Result streamsim(const std::string& args) {
  char tmpl[] = "/tmp/streamsim_sdpa_cli_XXXXXX";
  if (!::mkdtemp(tmpl)) return {};
  const std::string dir = tmpl;
  Result r = streamsim::testing::run_streamsim(args, dir);
  std::system(("rm -rf '" + dir + "'").c_str());
  return r;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// (channel, min depth) rows of `streamsim size` output, and its total line's min depth.
std::vector<std::pair<std::string, long>> size_rows(const std::string& out, long& total) {
  std::vector<std::pair<std::string, long>> rows;
  std::istringstream in(out.substr(out.find("min depth")));
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line) && !line.empty()) {
    std::istringstream words(line);
    std::string name, word, last;
    words >> name;
    while (words >> word) last = word;
    if (name == "total") total = std::stol(last);
    else rows.emplace_back(name, std::stol(last));
  }
  return rows;
}

long min_depth_of(const std::vector<std::pair<std::string, long>>& rows, const std::string& channel) {
  for (const auto& [name, depth] : rows)
    if (name == channel) return depth;
  return -1;
}

TEST(SdpaCli, ShippedConfigsRunAndReportTheErrorAgainstTheReference) {
  for (const char* v : {"naive", "naive_stable", "reordered"}) {
    Result r = streamsim(std::string("run configs/sdpa_") + v + ".yaml");
    EXPECT_EQ(r.code, 0) << v << r.err;
    EXPECT_TRUE(has(r.out, "status      finished")) << v << r.out;
    EXPECT_TRUE(has(r.out, "check       passed: sink 'out' got 16384 of 16384 expected values, max error "))
        << v << r.out;  // N x D = 256 x 64 outputs
    EXPECT_TRUE(has(r.out, "params      ")) << r.out;
  }
}

// Every SDPA unit promises steady firings, so the fast engine runs most of each variant's
// firings in batches; the report says how many, and the check still passes (values unchanged).
TEST(SdpaCli, TheFastEngineRunsMostFiringsInBatches) {
  for (const char* v : {"naive", "naive_stable", "reordered"}) {
    Result r = streamsim(std::string("run configs/sdpa_") + v + ".yaml --set N=512 --json -");
    ASSERT_EQ(r.code, 0) << v << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    const auto replayed = j["replayed_firings"].get<std::uint64_t>();
    const auto batched = j["batched_firings"].get<std::uint64_t>();
    std::uint64_t firings = 0;
    for (const auto& u : j["units"]) firings += u["firings"].get<std::uint64_t>();
    EXPECT_LE(batched, replayed) << v;
    EXPECT_GT(batched, firings * 9 / 10) << v;
    EXPECT_EQ(j["check"], "passed") << v;
  }
  Result r = streamsim("run configs/sdpa_reordered.yaml --set N=512");
  EXPECT_TRUE(has(r.out, "in batches)")) << r.out;
  r = streamsim("run configs/sdpa_reordered.yaml --set N=512 --engine systemc --json -");
  EXPECT_EQ(nlohmann::json::parse(r.out)["batched_firings"], 0);
}

TEST(SdpaCli, SetReachesTheBuilderAndCyclesFollowTheFormula) {
  // reordered, vector width: N^2 + 8 + ceil(log2 D) (docs/sdpa.md).
  Result r = streamsim("run configs/sdpa_reordered.yaml --set N=32 --set D=8 --json -");
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["cycles"], 32 * 32 + 8 + 3);
  EXPECT_EQ(j["params"]["N"], 32);
  EXPECT_EQ(j["check"], "passed");
  ASSERT_EQ(j["checks"].size(), 1u);
  EXPECT_LT(j["checks"][0]["max_abs_error"].get<double>(), 1e-12);
  // naive, vector: N^2 + N + 10 + ceil(log2 D).
  r = streamsim("run configs/sdpa_naive.yaml --set N=32 --set D=8 --json -");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["cycles"], 32 * 32 + 32 + 10 + 3);
  // scalar width: N^2 D + D + 7.
  r = streamsim("run configs/sdpa_reordered.yaml --set N=8 --set D=4 --set width=scalar --json -");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["cycles"], 8 * 8 * 4 + 4 + 7);
}

TEST(SdpaCli, ShortLongFifoDeadlocksNamingIt) {
  // Half a row: far below the threshold (about N; docs/sdpa.md), so the row sum never completes.
  Result r = streamsim("run configs/sdpa_naive.yaml --set N=16 --set D=4 --set long_depth=8");
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "long")) << r.err;
  EXPECT_TRUE(has(r.err, "unit 'sum_bcast' waits on channel 'long', which is full")) << r.err;
  EXPECT_TRUE(has(r.err, "unit 'row_sum' waits")) << r.err;
  EXPECT_EQ(streamsim("run -q configs/sdpa_naive.yaml --set N=16 --set D=4 --set long_depth=19").code, 0);
}

TEST(SdpaCli, LargeScoresOverflowOnlyTheUnstableNaiveVariant) {
  const std::string set = " --set N=16 --set D=8 --set score_scale=3000";
  Result r = streamsim("run configs/sdpa_naive.yaml" + set);
  EXPECT_EQ(r.code, 4) << r.out << r.err;  // exp overflows: inf / inf = NaN
  EXPECT_TRUE(has(r.err, "check failed: sink 'out'")) << r.err;
  EXPECT_TRUE(has(r.out, "check       FAILED")) << r.out;
  EXPECT_EQ(streamsim("run -q configs/sdpa_naive_stable.yaml" + set).code, 0);
  EXPECT_EQ(streamsim("run -q configs/sdpa_reordered.yaml" + set).code, 0);
}

TEST(SdpaCli, BadBuiltinParamsAreReportedAtTheirLine) {
  Result r = streamsim("run configs/sdpa_reordered.yaml --set width=vectr");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "configs/sdpa_reordered.yaml:")) << r.err;
  EXPECT_TRUE(has(r.err, "unknown SDPA width 'vectr'")) << r.err;
  r = streamsim("run configs/sdpa_reordered.yaml --set NN=3");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "did you mean 'N'?")) << r.err;
}

TEST(SdpaCli, SizeFindsTheOrderNLongFifoOfNaive) {
  for (int n : {16, 32}) {
    Result r = streamsim("size configs/sdpa_naive.yaml --set D=4 --set N=" + std::to_string(n));
    ASSERT_EQ(r.code, 0) << r.err;
    long total = -1;
    auto rows = size_rows(r.out, total);
    EXPECT_EQ(min_depth_of(rows, "long"), n + 3) << r.out;
    long sum = 0;
    for (const auto& row : rows) {
      sum += row.second;
      if (row.first != "long") {
        EXPECT_LE(row.second, 4) << row.first;
      }
    }
    EXPECT_EQ(total, sum);
    EXPECT_TRUE(has(r.out, "(as unbounded)")) << r.out;
  }
}

TEST(SdpaCli, SizeKeepsEveryReorderedDepthConstant) {
  long total16 = -1, total64 = -1;
  Result a = streamsim("size configs/sdpa_reordered.yaml --set D=4 --set N=16");
  Result b = streamsim("size configs/sdpa_reordered.yaml --set D=4 --set N=64");
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  auto ra = size_rows(a.out, total16), rb = size_rows(b.out, total64);
  ASSERT_FALSE(ra.empty());
  EXPECT_EQ(ra, rb);
  EXPECT_EQ(total16, total64);
  for (const auto& row : rb) EXPECT_LE(row.second, 4) << row.first;  // dot latency 3 + 1
}

TEST(SdpaCli, ShippedStudyIsNSlowestTimesTheThreeVariants) {
  Result r = streamsim("sweep configs/studies/sdpa_seq_len.yaml --list");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream in(r.out);
  std::vector<std::string> ids;
  for (std::string line; std::getline(in, line);) ids.push_back(line.substr(0, line.find('\t')));
  ASSERT_EQ(ids.size(), 27u);  // N = 64 .. 16384 (9 values) x 3 variants
  EXPECT_EQ(ids[0].rfind("N=64_config=..-sdpa_naive.yaml", 0), 0u) << ids[0];
  EXPECT_EQ(ids[2].rfind("N=64_config=..-sdpa_reordered.yaml", 0), 0u) << ids[2];
  EXPECT_EQ(ids[26].rfind("N=16384_config=..-sdpa_reordered.yaml", 0), 0u) << ids[26];
}

// A small version of the study through `sweep` and the plot script: the same configs and
// the same `set:`, N = 16 and 32.
TEST(SdpaCli, SmallStudySweepsAndPlots) {
  char tmpl[] = "/tmp/streamsim_sdpa_study_XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  const std::string configs = STREAMSIM_SOURCE_DIR "/configs/";
  std::ofstream(dir + "/study.yaml") << "set: {D: 4, width: vector, check: false}\ngrid:\n  N: [16, 32]\n"
                                     << "  config: [" << configs << "sdpa_naive.yaml, " << configs
                                     << "sdpa_naive_stable.yaml, " << configs << "sdpa_reordered.yaml]\n";
  Result r = streamsim("sweep '" + dir + "/study.yaml' -j 2 --out '" + dir + "/out'");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::istringstream csv(slurp(dir + "/out/results.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("id,N,config,engine,status,outcome,cycles,total_buffer,", 0), 0u) << line;
  std::vector<std::string> rows;
  while (std::getline(csv, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 6u);
  for (const auto& row : rows) EXPECT_TRUE(has(row, ",ok,finished,")) << row;
  auto column = [](const std::string& row, int index) {
    std::istringstream cells(row);
    std::string cell;
    for (int i = 0; i <= index; ++i) std::getline(cells, cell, ',');
    return cell;
  };
  // Rows: N = 16 naive, naive_stable, reordered, then N = 32. Reordered: N^2 + 8 + ceil(log2 4)
  // cycles and the same total buffer at both N; naive's grows with N (the long FIFO).
  EXPECT_EQ(column(rows[2], 6), "266");
  EXPECT_EQ(column(rows[5], 6), "1034");
  EXPECT_EQ(column(rows[2], 7), column(rows[5], 7));
  EXPECT_EQ(std::stol(column(rows[3], 7)) - std::stol(column(rows[0], 7)), 16);
  if (std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") != 0) {
    std::system(("rm -rf '" + dir + "'").c_str());
    GTEST_SKIP() << "python3-matplotlib is not installed: plot not tested";
  }
  const std::string plot = "/usr/bin/python3 '" STREAMSIM_SOURCE_DIR "/scripts/plot_sdpa.py' '" + dir +
                           "/out/results.csv' --out '" + dir + "/fig' >/dev/null";
  EXPECT_EQ(std::system(plot.c_str()), 0);
  for (const char* png : {"/fig/sdpa_cycles.png", "/fig/sdpa_cycles_overhead.png", "/fig/sdpa_buffer.png"}) {
    const std::string bytes = slurp(dir + png);
    EXPECT_GT(bytes.size(), 1000u) << png;
    EXPECT_EQ(bytes.substr(1, 3), "PNG") << png;
  }
  std::system(("rm -rf '" + dir + "'").c_str());
}

}  // namespace
