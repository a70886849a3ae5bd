// Architecture and mapping YAML: shipped configs load with the documented values; mistakes
// are reported with file:line, the key and the fix.
#include <gtest/gtest.h>

#include <filesystem>

#include "graphs/spatial/compile_mapping.h"
#include "graphs/spatial/study.h"
#include "sim/core/error.h"

namespace streamsim::spatial {
namespace {

const std::string kDir = STREAMSIM_SOURCE_DIR "/configs/spatial/";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SpatialConfig, CloudArchitectureHasThePaperValues) {
  Architecture a = load_architecture(kDir + "cloud.yaml");
  EXPECT_EQ(a.array2d.rows, 256);
  EXPECT_EQ(a.array2d.cols, 256);
  EXPECT_EQ(a.array1d.pes, 256);
  EXPECT_EQ(a.global_buffer_bytes, 16 << 20);
  EXPECT_EQ(a.word_bytes, 2);
  EXPECT_NEAR(a.dram_bytes_per_cycle(), 400.0 / 0.94, 1e-9);
  EXPECT_EQ(a.exp_ops(), 7);
  EXPECT_TRUE(a.array1d.supports(Op::Div));
  EXPECT_FALSE(a.array2d.supports(Op::Div));
}

TEST(SpatialConfig, EdgeArchitectureLoads) {
  Architecture a = load_architecture(kDir + "edge.yaml");
  EXPECT_EQ(a.array2d.rows, 32);
  EXPECT_EQ(a.global_buffer_bytes, 512 << 10);
  EXPECT_NEAR(a.dram_gb_per_s, 50, 1e-12);
}

TEST(SpatialConfig, ArchitectureErrorsNameLineKeyAndFix) {
  auto arch = [](const std::string& text) { return architecture_from_yaml(YAML::Load(text), "a.yaml"); };
  const std::string ok_tail =
      "  array1d: {pes: 4}\n  dram: {bandwidth_gb_per_s: 10}\n  global_buffer_bytes: 1024\n";
  std::string e = error_of([&] { arch("architecture:\n  clock_ghz: 1\n  array2d: {rows: 4, colz: 4}\n" + ok_tail); });
  EXPECT_NE(e.find("a.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("'colz'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'cols'"), std::string::npos) << e;

  e = error_of([&] { arch("architecture:\n  clock_ghz: -1\n  array2d: {rows: 4, cols: 4}\n" + ok_tail); });
  EXPECT_NE(e.find("a.yaml:2"), std::string::npos) << e;
  EXPECT_NE(e.find("clock_ghz"), std::string::npos) << e;

  e = error_of([&] { arch("architecture:\n  clock_ghz: 1\n  array2d: {rows: 4, cols: 4, ops: [add, mul, exp]}\n" + ok_tail); });
  EXPECT_NE(e.find("unknown op 'exp'"), std::string::npos) << e;

  e = error_of([&] {
    arch("architecture:\n  clock_ghz: 1\n  global_buffer_bytes: 64\n  array2d: {rows: 4, cols: 4}\n  dram: {bandwidth_gb_per_s: 1}\n");
  });
  EXPECT_NE(e.find("array1d"), std::string::npos) << e;
}

TEST(SpatialConfig, FuseMaxMappingLoads) {
  Mapping m = load_mapping(kDir + "fusemax.yaml");
  EXPECT_EQ(m.cascade, "../cascades/attention_1pass.cascade");
  ASSERT_TRUE(m.costs);
  EXPECT_EQ(m.costs->name, "attention_1pass");
  EXPECT_EQ(m.cascade_file, std::filesystem::path(STREAMSIM_SOURCE_DIR "/configs/cascades/attention_1pass.cascade")
                                .lexically_normal()
                                .string());
  EXPECT_EQ(m.P1, 0);  // auto
  EXPECT_EQ(m.M0, 0);  // "array": the array's side
  EXPECT_EQ(m.binding.at("BQK"), ArrayId::A2D);
  EXPECT_EQ(m.binding.at("SLNV"), ArrayId::A2D);
  EXPECT_EQ(m.binding.at("RNV"), ArrayId::A1D);
  EXPECT_EQ(m.binding.at("AV"), ArrayId::A1D);
  EXPECT_TRUE(m.interleave);
}

Mapping mapping_text(const std::string& binding2d, const std::string& binding1d, const std::string& extra = "") {
  return mapping_from_yaml(YAML::Load("mapping:\n  name: t\n  cascade: " STREAMSIM_SOURCE_DIR "/configs/cascades/attention_1pass.cascade\n" + extra +
                                      "  binding:\n    array2d: " + binding2d + "\n    array1d: " + binding1d + "\n"),
                           "m.yaml");
}

TEST(SpatialConfig, MappingBindingErrors) {
  Architecture a = load_architecture(kDir + "cloud.yaml");
  Workload w;
  const std::string one_d = "[RM, PRM, SPD, RD, SPNV, RNV, AV]";
  std::string e = error_of([&] { compile_mapping(a, mapping_text("[BQK, LM, SLN, SLD, SLNVV]", one_d), w); });
  EXPECT_NE(e.find("m.yaml:"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'SLNV'"), std::string::npos) << e;

  e = error_of([&] { compile_mapping(a, mapping_text("[BQK, LM, SLN, SLD]", one_d), w); });
  EXPECT_NE(e.find("'SLNV' is not bound"), std::string::npos) << e;

  // Division is not an op of the 2D array.
  e = error_of([&] {
    compile_mapping(a, mapping_text("[BQK, LM, SLN, SLD, SLNV, AV]", "[RM, PRM, SPD, RD, SPNV, RNV]"), w);
  });
  EXPECT_NE(e.find("'AV' needs 'div'"), std::string::npos) << e;

  e = error_of([&] { mapping_text("[BQK]", "[RM]", "  loop_order: [m1, p2, p1]\n"); });
  EXPECT_NE(e.find("loop_order"), std::string::npos) << e;
  EXPECT_NE(e.find("m.yaml:4"), std::string::npos) << e;

  e = error_of([&] { mapping_text("[BQK]", "[RM]", "  fusion: sometimes\n"); });
  EXPECT_NE(e.find("'fusion'"), std::string::npos) << e;
}

TEST(SpatialConfig, ResidentStateBeyondTheBufferIsAnErrorNamingP1) {
  Architecture a = load_architecture(kDir + "edge.yaml");
  Mapping m = load_mapping(kDir + "fusemax.yaml");
  m.P1 = 512;  // 512 x 32 queries of Q, RNV and AV: 6 MiB > 512 KiB
  Workload w;
  w.seq = 65536;
  std::string e = error_of([&] { compile_mapping(a, m, w); });
  EXPECT_NE(e.find("global_buffer_bytes"), std::string::npos) << e;
  EXPECT_NE(e.find("P1"), std::string::npos) << e;
}

TEST(SpatialConfig, StudyFileLoads) {
  StudySpec s = load_study(kDir + "study.yaml");
  EXPECT_EQ(s.arch.name, "cloud");
  EXPECT_EQ(s.mappings.size(), 6u);
  ASSERT_EQ(s.mapping_archs.size(), 6u);
  EXPECT_EQ(s.arch_of(0).name, "cloud");       // FuseMax on its own accelerator
  EXPECT_EQ(s.arch_of(1).name, "cloud-flat");  // FLAT on FLAT's
  EXPECT_TRUE(s.arch_of(1).array1d.pipelined);
  EXPECT_EQ(s.arch_of(1).global_buffer_bytes, 32ll << 20);
  EXPECT_EQ(s.mapping_files[1].size(), 3u);    // architecture, mapping, cascade
  EXPECT_EQ(s.models.size(), 4u);
  EXPECT_EQ(s.models[3].E, 128);
  EXPECT_EQ(s.seq_lengths.back(), 1048576);
}

}  // namespace
}  // namespace streamsim::spatial
