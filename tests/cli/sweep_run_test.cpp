// Runs whole sweeps in-process (workers are forked from the test) on test graphs.
#include <gtest/gtest.h>

#include "sim/cli/sweep_merge.h"
#include "sim/cli/sweep_record.h"
#include "sim/cli/sweep_runner.h"
#include "sim/cli/sweep_sha256.h"
#include "sim/report/output_file.h"
#include "tests/support/sweep_fixture.h"

namespace streamsim::sweep {
namespace {

using testing::quiet_options;
using testing::ScratchDir;
using testing::test_graph_builder;

Json results(const std::string& dir) { return Json::parse(read_file(dir + "/results.json")); }

std::size_t csv_rows(const std::string& csv) { return static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) - 1; }

TEST(SweepRun, RunsEveryPointAndWritesRecordsAndSummaries) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "dummy config\n");
  std::string study = dir.write("s.yaml", "config: arch.yaml\ngrid:\n  tokens: [1, 10, 100]\n  stages: [1, 8]\n");
  SweepSummary s = run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  EXPECT_EQ(s.in_scope, 6u);
  EXPECT_EQ(s.ran, 6u);
  EXPECT_EQ(s.ok, 6u);
  EXPECT_EQ(s.exit_code(), 0);
  Json r = results(dir / "out");
  ASSERT_EQ(r["points"].size(), 6u);
  // tokens=1, stages=1 is the timing contract's worked example: 3 cycles.
  EXPECT_EQ(r["points"][0]["parameters"]["tokens"], 1);
  EXPECT_EQ(r["points"][0]["cycles"], 3);
  // 8 stages, 100 tokens, depth 2: full rate, tokens + stages + 1 cycles.
  EXPECT_EQ(r["points"][5]["cycles"], 109);
  EXPECT_EQ(r["points"][5]["config"]["sha256"], sha256_hex("dummy config\n"));
  EXPECT_EQ(r["points"][5]["engine"], "fast");
  EXPECT_EQ(csv_rows(read_file(dir / "out/results.csv")), 6u);
  EXPECT_EQ(list_files(dir / "out/points", ".json").size(), 6u);
}

TEST(SweepRun, FailingPointsAreRecordedWithTheirReasonAndTheSweepGoesOn) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  std::string study = dir.write("s.yaml",
                                "config: arch.yaml\nmax_cycles: 100000\ntimeout: 1\n"
                                "grid:\n  mode: [ok, deadlock, error, crash, forever]\n");
  auto opt = quiet_options(study, dir / "out");
  opt.max_cycles = 0;  // the command line wins over the study: lets `forever` reach the timeout
  SweepSummary s = run_sweep(opt, test_graph_builder());
  EXPECT_EQ(s.ok, 1u);
  EXPECT_EQ(s.failed, 4u);
  EXPECT_NE(s.exit_code(), 0);
  std::map<std::string, Json> by_mode;
  Json all = results(dir / "out");
  for (const auto& p : all["points"]) by_mode[p["parameters"]["mode"].get<std::string>()] = p;
  EXPECT_EQ(by_mode["ok"]["status"], "ok");
  EXPECT_EQ(by_mode["deadlock"]["outcome"], "deadlock");
  EXPECT_NE(by_mode["deadlock"]["reason"].get<std::string>().find("unit 'fork' waits on channel"), std::string::npos);
  EXPECT_EQ(by_mode["error"]["outcome"], "error");
  EXPECT_NE(by_mode["error"]["reason"].get<std::string>().find("test point asked for an error"), std::string::npos);
  EXPECT_EQ(by_mode["crash"]["outcome"], "crashed");
  EXPECT_NE(by_mode["crash"]["reason"].get<std::string>().find("signal 6"), std::string::npos);
  EXPECT_EQ(by_mode["forever"]["outcome"], "timeout");
}

TEST(SweepRun, MaxCyclesStopsAPointAndFailsIt) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  std::string study = dir.write("s.yaml", "config: arch.yaml\nmax_cycles: 500\ngrid:\n  tokens: [100, 1000]\n");
  SweepSummary s = run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  EXPECT_EQ(s.ok, 1u);
  EXPECT_EQ(s.failed, 1u);
  Json p = results(dir / "out")["points"][1];
  EXPECT_EQ(p["outcome"], "max_cycles");
  EXPECT_NE(p["reason"].get<std::string>().find("over the limit of 500 cycles"), std::string::npos);
}

TEST(SweepRun, RestartSkipsFinishedPointsAndRedoesCorruptOnes) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  std::string study = dir.write("s.yaml", "config: arch.yaml\ngrid:\n  tokens: [5, 6, 7, 8]\n");
  run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  std::string csv = read_file(dir / "out/results.csv");
  auto files = list_files(dir / "out/points", ".json");
  ASSERT_EQ(files.size(), 4u);
  // One record edited (a digit changed), one torn in half, one emptied.
  std::string edited = read_file(dir / "out/points/" + files[0]);
  auto pos = edited.find("\"cycles\": ");
  ASSERT_NE(pos, std::string::npos);
  edited[pos + 10] = edited[pos + 10] == '9' ? '1' : '9';
  write_output_file(dir / "out/points/" + files[0], edited);
  std::string torn = read_file(dir / "out/points/" + files[1]);
  write_output_file(dir / "out/points/" + files[1], torn.substr(0, torn.size() / 2));
  write_output_file(dir / "out/points/" + files[2], "");

  SweepSummary s = run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  EXPECT_EQ(s.skipped, 1u);
  EXPECT_EQ(s.redone, 3u);
  EXPECT_EQ(s.ran, 3u);
  EXPECT_EQ(s.exit_code(), 0);
  EXPECT_EQ(read_file(dir / "out/results.csv"), csv);

  // Nothing left to do: a third run runs nothing.
  SweepSummary again = run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  EXPECT_EQ(again.ran, 0u);
  EXPECT_EQ(again.skipped, 4u);
}

TEST(SweepRun, AChangedConfigMakesRecordsStale) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "version 1");
  std::string study = dir.write("s.yaml", "config: arch.yaml\ngrid:\n  tokens: [5, 6]\n");
  run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  dir.write("arch.yaml", "version 2");
  SweepSummary s = run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  EXPECT_EQ(s.redone, 2u);
  EXPECT_EQ(results(dir / "out")["points"][0]["config"]["sha256"], sha256_hex("version 2"));
}

TEST(SweepRun, FailedPointsAreKeptUnlessRetried) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  std::string study = dir.write("s.yaml", "config: arch.yaml\ngrid:\n  mode: [ok, error]\n");
  run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  SweepSummary kept = run_sweep(quiet_options(study, dir / "out"), test_graph_builder());
  EXPECT_EQ(kept.ran, 0u);
  EXPECT_EQ(kept.failed, 1u);
  EXPECT_EQ(kept.exit_code(), 1);
  auto opt = quiet_options(study, dir / "out");
  opt.retry_failed = true;
  EXPECT_EQ(run_sweep(opt, test_graph_builder()).ran, 1u);
}

TEST(SweepMerge, TwoShardsMergeToTheFullSweep) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  std::string study = dir.write("s.yaml", "config: arch.yaml\ngrid:\n  tokens: [1, 2, 3, 4, 5, 6]\n  stages: [1, 2]\n");
  run_sweep(quiet_options(study, dir / "full"), test_graph_builder());
  std::size_t shard_points = 0;
  for (int i = 1; i <= 2; ++i) {
    auto opt = quiet_options(study, dir / ("shard" + std::to_string(i)));
    opt.shard = Shard{i, 2};
    SweepSummary s = run_sweep(opt, test_graph_builder());
    EXPECT_GT(s.in_scope, 0u);
    EXPECT_LT(s.in_scope, 12u);
    shard_points += s.in_scope;
  }
  EXPECT_EQ(shard_points, 12u);
  std::ostringstream log;
  MergeSummary m = merge_sweeps({dir / "shard1", dir / "shard2"}, dir / "merged", log);
  EXPECT_EQ(m.merged, 12u);
  EXPECT_TRUE(m.missing.empty());
  EXPECT_TRUE(m.duplicates.empty());
  EXPECT_EQ(m.exit_code(), 0) << log.str();
  EXPECT_EQ(read_file(dir / "merged/results.csv"), read_file(dir / "full/results.csv"));
  Json merged = results(dir / "merged"), full = results(dir / "full");
  ASSERT_EQ(merged["points"].size(), full["points"].size());
  for (std::size_t i = 0; i < full["points"].size(); ++i)
    EXPECT_EQ(merged["points"][i]["stats"], full["points"][i]["stats"]);
}

TEST(SweepMerge, ReportsMissingAndDuplicatePoints) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  std::string study = dir.write("s.yaml", "config: arch.yaml\ngrid:\n  tokens: [1, 2, 3, 4, 5, 6, 7, 8]\n");
  auto opt = quiet_options(study, dir / "half");
  opt.shard = Shard{1, 2};
  std::size_t half = run_sweep(opt, test_graph_builder()).in_scope;
  std::ostringstream log;
  MergeSummary missing = merge_sweeps({dir / "half"}, dir / "m1", log);
  EXPECT_EQ(missing.missing.size(), 8u - half);
  EXPECT_EQ(missing.exit_code(), 1);
  EXPECT_NE(log.str().find("missing points"), std::string::npos);

  run_sweep(quiet_options(study, dir / "full"), test_graph_builder());
  MergeSummary dup = merge_sweeps({dir / "full", dir / "half"}, dir / "m2", log);
  EXPECT_EQ(dup.duplicates.size(), half);
  EXPECT_TRUE(dup.missing.empty());
  EXPECT_EQ(dup.exit_code(), 0);
  EXPECT_EQ(read_file(dir / "m2/results.csv"), read_file(dir / "full/results.csv"));
}

TEST(SweepMerge, RefusesDirectoriesOfDifferentStudies) {
  ScratchDir dir("sweep");
  dir.write("arch.yaml", "x");
  run_sweep(quiet_options(dir.write("a.yaml", "config: arch.yaml\ngrid: {tokens: [1]}\n"), dir / "a"),
            test_graph_builder());
  run_sweep(quiet_options(dir.write("b.yaml", "config: arch.yaml\ngrid: {tokens: [2]}\n"), dir / "b"),
            test_graph_builder());
  std::ostringstream log;
  EXPECT_THROW(merge_sweeps({dir / "a", dir / "b"}, dir / "m", log), Error);
  EXPECT_THROW(merge_sweeps({dir / "nothing"}, dir / "m", log), Error);
}

}  // namespace
}  // namespace streamsim::sweep
