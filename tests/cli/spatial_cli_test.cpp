// The spatial-array study from the binary: `streamsim spatial` (one point) and
// `streamsim sweep` on a `kind: spatial` study file (per-point records, CSV, resume).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "graphs/spatial/study.h"
#include "tests/support/run_streamsim.h"
#include "tests/support/sweep_fixture.h"

namespace streamsim {
namespace {

using testing::ScratchDir;
const std::string kDir = std::string(STREAMSIM_SOURCE_DIR) + "/configs/spatial/";

// Runs the binary (tests/support/run_streamsim.h); keeps stdout and stderr in `dir`.
int run(const ScratchDir& dir, const std::string& args) {
  const testing::CliResult r = testing::run_streamsim(args, dir.path());
  dir.write("out.txt", r.out);
  dir.write("err.txt", r.err);
  return r.code;
}

std::string out_of(const ScratchDir& d) {
  return sweep::read_file(d / "out.txt");
}
std::string err_of(const ScratchDir& d) {
  return sweep::read_file(d / "err.txt");
}

std::string small_study(const std::string& extra_mapping = "") {
  return "kind: spatial\n"
         "study:\n"
         "  architecture: " +
         kDir +
         "edge.yaml\n"
         "  mappings: [" +
         kDir + "fusemax.yaml, " + kDir + "flat.yaml" + extra_mapping +
         "]\n"
         "  batch: 2\n"
         "  seq_lengths: [1024, 4096]\n"
         "  models:\n"
         "    - {name: BERT, heads: 2, E: 64, F: 64}\n";
}

TEST(SpatialCli, OnePointPrintsTheFiguresAndMatchesTheLibrary) {
  ScratchDir d("spatial-cli");
  ASSERT_EQ(run(d, "spatial " + kDir + "fusemax.yaml --arch " + kDir +
                       "edge.yaml --seq 4096 --batch 2 --heads 2"),
            0)
      << err_of(d);
  std::string text = out_of(d);
  for (const char* s :
       {"cycles", "2D utilization", "1D utilization", "peak buffer", "DRAM traffic"})
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;

  ASSERT_EQ(run(d, "spatial " + kDir + "fusemax.yaml --arch " + kDir +
                       "edge.yaml --seq 4096 --batch 2 --heads 2 --json -"),
            0)
      << err_of(d);
  auto j = nlohmann::json::parse(out_of(d));
  spatial::Workload w;
  w.heads = 2;
  w.batch = 2;
  w.seq = 4096;
  spatial::SpatialResult r = spatial::simulate(spatial::load_architecture(kDir + "edge.yaml"),
                                               spatial::load_mapping(kDir + "fusemax.yaml"), w);
  EXPECT_EQ(j["mapping"], "fusemax");
  EXPECT_EQ(j["architecture"], "edge");
  EXPECT_EQ(j["cycles"].get<double>(), r.cycles);
  EXPECT_EQ(j["util_1d"].get<double>(), r.util_1d);
  EXPECT_EQ(j["peak_buffer_bytes"].get<double>(), r.peak_buffer_bytes);
  EXPECT_GT(r.util_1d, 0.9);
}

// Both engines run the tile-level graphs to the same cycle, including the barriers and
// cross-pass buffering of the paper's unfused baseline (fusion: kernels).
TEST(SpatialCli, FastAndSystemcEnginesAgree) {
  ScratchDir d("spatial-cli");
  for (const std::string& m : {"fusemax.yaml --arch " + kDir + "edge.yaml",
                               "unfused.yaml --arch " + kDir + "edge_flat.yaml"}) {
    double cycles[2];
    int i = 0;
    for (const char* engine : {"fast", "systemc"}) {
      ASSERT_EQ(run(d, "spatial " + kDir + m +
                           " --seq 2048 --batch 1 --heads 1 --json - --engine " + engine),
                0)
          << err_of(d);
      cycles[i++] = nlohmann::json::parse(out_of(d))["cycles"].get<double>();
    }
    EXPECT_EQ(cycles[0], cycles[1]) << m;
    EXPECT_GT(cycles[0], 0);
  }
}

TEST(SpatialCli, OnePointErrorsNameTheFix) {
  ScratchDir d("spatial-cli");
  EXPECT_EQ(run(d, "spatial " + kDir + "fusemax.yaml --arch " + kDir +
                       "edge.yaml --seq 1024 --model GPT9"),
            1);
  EXPECT_NE(err_of(d).find("--heads"), std::string::npos) << err_of(d);
  EXPECT_EQ(run(d, "spatial " + kDir + "fusemax.yaml --seq 1024"), 1);
  EXPECT_NE(err_of(d).find("--arch"), std::string::npos) << err_of(d);
}

TEST(SpatialCli, SweepWritesRecordsAndCsvAndResumes) {
  ScratchDir d("spatial-cli");
  std::string study = d.write("study.yaml", small_study());
  ASSERT_EQ(run(d, "sweep " + study + " --list"), 0) << err_of(d);
  std::string list = out_of(d);
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 4) << list;
  EXPECT_NE(list.find("mapping=flat"), std::string::npos) << list;

  ASSERT_EQ(run(d, "sweep " + study + " -j 2 --out " + (d / "res")), 0) << err_of(d);
  EXPECT_NE(err_of(d).find("4 ok, 0 failed of 4 points"), std::string::npos) << err_of(d);
  std::string csv = sweep::read_file(d / "res/results.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5) << csv;
  EXPECT_EQ(csv.rfind("architecture,mapping,model,batch,heads,seq,", 0), 0u) << csv;
  EXPECT_EQ(csv.find("wall_seconds"), std::string::npos);  // host time stays out of the CSV
  EXPECT_NE(csv.find("edge,flat,BERT,2,2,4096,"), std::string::npos) << csv;
  auto points = sweep::list_files(d / "res/points", ".json");
  ASSERT_EQ(points.size(), 4u);

  // The CSV rows are the library's figures.
  spatial::StudySpec spec = spatial::load_study(study);
  std::ostringstream expect;
  spatial::write_csv(expect, spatial::run_study(spec), false);
  EXPECT_EQ(csv, expect.str());

  // Remove one record and tamper with another: a restart redoes exactly those two.
  std::filesystem::remove(d / ("res/points/" + points[0]));
  std::string tampered = sweep::read_file(d / ("res/points/" + points[1]));
  tampered.replace(tampered.find("\"cycles\": "), 10, "\"cycles\": 1");
  std::ofstream(d / ("res/points/" + points[1])) << tampered;
  ASSERT_EQ(run(d, "sweep " + study + " --out " + (d / "res")), 0) << err_of(d);
  EXPECT_NE(err_of(d).find("checksum mismatch"), std::string::npos) << err_of(d);
  EXPECT_NE(err_of(d).find("2 kept from an earlier run, 2 run"), std::string::npos) << err_of(d);
  EXPECT_EQ(sweep::read_file(d / "res/results.csv"), csv);

  // Nothing changed: nothing reruns.
  ASSERT_EQ(run(d, "sweep " + study + " --out " + (d / "res")), 0) << err_of(d);
  EXPECT_NE(err_of(d).find("4 kept from an earlier run, 0 run"), std::string::npos) << err_of(d);
}

TEST(SpatialCli, SweepRecordsAFailingPointAndExitsOne) {
  ScratchDir d("spatial-cli");
  // The final division bound to the 2D array, which cannot divide: every point of it fails.
  d.write("bad.yaml",
          "mapping:\n  name: div-on-2d\n  cascade: " + std::string(STREAMSIM_SOURCE_DIR) +
              "/configs/cascades/attention_1pass.cascade\n"
              "  binding:\n    array2d: [BQK, LM, SLN, SLD, SLNV, AV]\n"
              "    array1d: [RM, PRM, SPD, RD, SPNV, RNV]\n");
  std::string study = d.write("study.yaml", small_study(", " + (d / "bad.yaml")));
  EXPECT_EQ(run(d, "sweep " + study + " --out " + (d / "res")), 1) << err_of(d);
  EXPECT_NE(err_of(d).find("4 ok, 2 failed of 6 points"), std::string::npos) << err_of(d);
  EXPECT_NE(err_of(d).find("'AV' needs 'div'"), std::string::npos) << err_of(d);
  auto j = nlohmann::json::parse(sweep::read_file(d / "res/results.json"));
  EXPECT_EQ(j["failed"].size(), 2u);
  EXPECT_EQ(j["points"].size(), 6u);
}

TEST(SpatialCli, SweepStudyErrorsStopBeforeRunning) {
  ScratchDir d("spatial-cli");
  std::string study = d.write("study.yaml", "kind: spatial\nstudy:\n  architecture: " + kDir +
                                                "edge.yaml\n  mappings: [" + kDir +
                                                "fusemax.yaml]\n  seq_lenghts: [1024]\n");
  EXPECT_EQ(run(d, "sweep " + study + " --out " + (d / "res")), 1);
  EXPECT_NE(err_of(d).find("seq_lengths"), std::string::npos) << err_of(d);
  EXPECT_NE(err_of(d).find("study.yaml:"), std::string::npos) << err_of(d);
}

}  // namespace
}  // namespace streamsim
