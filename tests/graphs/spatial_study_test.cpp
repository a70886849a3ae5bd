// What the FuseMax study must show, checked on the shipped configurations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "graphs/spatial/study.h"

namespace streamsim::spatial {
namespace {

const std::string kDir = STREAMSIM_SOURCE_DIR "/configs/spatial/";

SpatialResult run(const std::string& arch, const std::string& mapping, std::int64_t seq,
                  const std::string& model = "BERT") {
  Workload w;
  for (const auto& m : paper_models())
    if (m.name == model) {
      w.model = m.name;
      w.heads = m.heads;
      w.E = m.E;
      w.F = m.F;
    }
  w.seq = seq;
  SimOptions o;
  o.max_simulated_epochs = 20000;
  return simulate(load_architecture(kDir + arch + ".yaml"), load_mapping(kDir + mapping + ".yaml"), w, o);
}

TEST(SpatialStudy, FuseMaxKeepsBothArraysBusyAndFlatIsBoundByItsOneDArray) {
  SpatialResult fm = run("cloud", "fusemax", 65536);
  SpatialResult flat = run("cloud", "flat", 65536);
  EXPECT_GT(fm.util_1d, 0.97);
  EXPECT_GT(fm.util_2d, 0.95);
  EXPECT_GT(flat.util_1d, 0.9);
  EXPECT_LT(flat.util_2d, 0.1);
  EXPECT_GT(fm.util_2d, 5 * flat.util_2d);
  EXPECT_LT(fm.cycles, flat.cycles / 5);
}

TEST(SpatialStudy, FuseMaxTwoDUtilizationGrowsWithSequenceLength) {
  SpatialResult s1k = run("cloud", "fusemax", 1024, "XLM");
  SpatialResult s1m = run("cloud", "fusemax", 1 << 20, "XLM");
  EXPECT_LT(s1k.util_2d, s1m.util_2d);
  EXPECT_GT(s1m.util_2d, 0.98);
}

TEST(SpatialStudy, FuseMaxBufferIsIndependentOfSequenceLengthFlatsGrows) {
  SpatialResult fm16k = run("cloud", "fusemax", 16384);
  SpatialResult fm1m = run("cloud", "fusemax", 1 << 20);
  EXPECT_NEAR(fm1m.peak_buffer_bytes / fm16k.peak_buffer_bytes, 1.0, 0.01);
  SpatialResult f1k = run("cloud", "flat", 1024);
  SpatialResult f4k = run("cloud", "flat", 4096);
  SpatialResult f16k = run("cloud", "flat", 16384);
  EXPECT_LT(f1k.peak_buffer_bytes, f4k.peak_buffer_bytes);
  EXPECT_LT(f4k.peak_buffer_bytes, f16k.peak_buffer_bytes);
  EXPECT_LE(f16k.peak_buffer_bytes, 16.0 * (1 << 20));  // it never exceeds the buffer: it spills
}

TEST(SpatialStudy, FlatSpillsWhenSoftmaxRowsExceedTheBuffer) {
  SpatialResult fits = run("cloud", "flat", 4096);
  SpatialResult spills = run("cloud", "flat", 1 << 20);
  EXPECT_EQ(fits.spill_fraction, 0);
  // 256 rows x 1M x 2 bytes = 512 MiB of rows against ~16 MiB: almost everything spills.
  EXPECT_GT(spills.spill_fraction, 0.95);
  EXPECT_LT(spills.spill_fraction, 1.0);
  EXPECT_LE(spills.peak_buffer_bytes, 16.0 * (1 << 20));  // what is kept fills, never overflows
  EXPECT_GT(spills.peak_buffer_bytes, 10.0 * (1 << 20));
  // Traffic per score when the rows fit: each block of P0 = 256 rows re-reads K and V,
  // (E + F) x 2 B / 256 = 1 B per score (+ Q and AV). When they do not, every spilled score
  // adds 8 B: QK written and read back, SN written and read back.
  auto per_score = [](const SpatialResult& r) {
    return r.dram_bytes / (double(r.seq) * double(r.seq) * r.batch * r.heads);
  };
  EXPECT_NEAR(per_score(fits), 1.0 + 2.0 * 64 * 2 / 4096, 1e-3);  // + Q and AV per 4K scores
  EXPECT_NEAR(per_score(spills), 1.0 + 8 * spills.spill_fraction, 1e-2);
  EXPECT_GT(spills.util_dram, fits.util_dram);
}

TEST(SpatialStudy, OrderingOfMappingsFollowsTheAblation) {
  const std::int64_t seq = 16384;
  double fm = run("cloud", "fusemax", seq).cycles;
  double no_il = run("cloud", "ablation_no_interleave", seq).cycles;
  double one_pass_flat = run("cloud", "ablation_1pass_flat_binding", seq).cycles;
  double flat = run("cloud", "flat", seq).cycles;
  double unfused = run("cloud", "unfused", seq).cycles;
  EXPECT_LT(fm, no_il);
  EXPECT_LT(no_il, one_pass_flat);
  EXPECT_LT(flat, unfused);
  // The 1-pass cascade alone, on FLAT's binding, is within 10% of FLAT.
  EXPECT_NEAR(one_pass_flat / flat, 1.0, 0.1);
}

// With FLAT on FLAT's accelerator (32 MiB, softmax Einsums pipelined on the 1D array: 4
// cycles per score on 256 PEs), the simulation lands on the FuseMax artifact's figures
// (BERT, 64K: FuseMax 7.40 s, FLAT 54.8 s, 7.41x; FLAT's 2D array 12.5% busy).
TEST(SpatialStudy, PaperConsistentBaselineGivesThePublishedRatio) {
  SpatialResult fm = run("cloud", "fusemax", 65536);
  SpatialResult flat = run("cloud_flat", "flat", 65536);
  EXPECT_NEAR(fm.seconds, 7.40, 0.05 * 7.40);
  EXPECT_NEAR(flat.seconds, 54.8, 0.05 * 54.8);
  EXPECT_NEAR(flat.cycles / fm.cycles, 7.41, 0.3);
  EXPECT_NEAR(flat.util_2d, 0.125, 0.01);
  EXPECT_GT(flat.util_1d, 0.97);
  // The paper's unfused baseline (three kernels through DRAM) is DRAM-bound and slower than
  // FLAT; every-Einsum-a-phase is slower still.
  SpatialResult unf = run("cloud_flat", "unfused", 65536);
  SpatialResult per = run("cloud_flat", "unfused_per_einsum", 65536);
  EXPECT_GT(unf.cycles, 1.3 * flat.cycles);
  EXPECT_GT(per.cycles, unf.cycles);
  EXPECT_GT(unf.util_dram, 0.7);  // QK and A go through DRAM: mostly DRAM-bound
  EXPECT_LT(unf.dram_bytes, per.dram_bytes);
}

TEST(SpatialStudy, EdgeConfigurationRuns) {
  SpatialResult fm = run("edge", "fusemax", 4096);
  SpatialResult flat = run("edge", "flat", 4096);
  EXPECT_GT(fm.util_1d, 0.9);
  EXPECT_LT(fm.cycles, flat.cycles);
  EXPECT_EQ(flat.spill_fraction, 0);  // 32 rows x 4K x 2 B = 256 KiB fit in 512 KiB
  SpatialResult flat16k = run("edge", "flat", 16384);
  EXPECT_GT(flat16k.spill_fraction, 0.4);  // 1 MiB of rows do not
}

TEST(SpatialStudy, CsvHasOneRowPerPoint) {
  StudySpec spec;
  spec.arch = load_architecture(kDir + "cloud.yaml");
  spec.mappings = {load_mapping(kDir + "fusemax.yaml"), load_mapping(kDir + "flat.yaml")};
  spec.models = {paper_models()[0]};
  spec.seq_lengths = {1024, 2048};
  std::ostringstream os;
  write_csv(os, run_study(spec));
  std::string csv = os.str();
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_EQ(csv.rfind("architecture,mapping,model,batch,heads,seq,", 0), 0u);
  EXPECT_NE(csv.find("cloud,fusemax,BERT,64,12,2048,"), std::string::npos);
}

// Driver for the full study (not a check): STREAMSIM_SPATIAL_CSV=out.csv runs the study in
// STREAMSIM_SPATIAL_STUDY (default configs/spatial/study.yaml) and writes its CSV.
TEST(SpatialStudyDriver, WritesCsvWhenAsked) {
  const char* out = std::getenv("STREAMSIM_SPATIAL_CSV");
  if (!out) GTEST_SKIP() << "set STREAMSIM_SPATIAL_CSV=path.csv to run the full study";
  const char* study = std::getenv("STREAMSIM_SPATIAL_STUDY");
  StudySpec spec = load_study(study ? study : kDir + "study.yaml");
  std::ofstream f(out);
  write_csv(f, run_study(spec));
  ASSERT_TRUE(f.good());
}

}  // namespace
}  // namespace streamsim::spatial
