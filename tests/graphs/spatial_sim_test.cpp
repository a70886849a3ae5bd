// Tile-level simulation: hand-derived cycle counts on tiny schedules and configurations.
#include <gtest/gtest.h>

#include "graphs/spatial/spatial_sim.h"
#include "graphs/spatial/stage_unit.h"
#include "sim/engines/engine.h"

namespace streamsim::spatial {
namespace {

// Two units, one stage each, an edge between them: producer II = latency = a, consumer
// II = b >= a. Token e is visible at (e+1)·a, the consumer starts epoch e at a + e·b and
// the run ends at a + N·b.
TEST(SpatialSim, TwoStageScheduleMatchesHandDerivedCycles) {
  auto s = std::make_shared<Schedule>();
  s->unit_names = {"p", "c"};
  s->unit_kinds = {UnitKind::Array2D, UnitKind::Array1D};
  s->stages = {StageDef{"prod", 0, 0, 0}, StageDef{"cons", 1, 0, 0}};
  s->edges = {EdgeDef{0, 1, false, 2, 0, false}};
  PassDef p;
  p.epochs = 10;
  StageWork prod{true, 3, 3, 3, 0}, cons{true, 5, 5, 5, 0};
  for (auto& w : p.work) w = {prod, cons};
  s->passes = {p};
  s->blocks = 1;
  s->validate();
  RunResult r = make_engine("fast")->run(build_spatial_graph(s));
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 3 + 10 * 5);
  EXPECT_EQ(r.unit_as<StageUnit>("c")->stage_firings(), 10u);
  EXPECT_DOUBLE_EQ(r.unit_as<StageUnit>("c")->busy_pe_cycles(), 50.0);
}

// A back edge (consumer unit before producer unit) is primed; the priming token costs no
// time and the channel's peak occupancy stays within its depth.
TEST(SpatialSim, PrimedBackEdgeCostsNothing) {
  auto s = std::make_shared<Schedule>();
  s->unit_names = {"c", "p"};
  s->unit_kinds = {UnitKind::Array2D, UnitKind::Array1D};
  s->stages = {StageDef{"cons", 0, 0, 0}, StageDef{"prod", 1, 0, 0}};
  s->edges = {EdgeDef{1, 0, false, 2, 0, true}};
  PassDef p;
  p.epochs = 10;
  StageWork prod{true, 3, 3, 3, 0}, cons{true, 5, 5, 5, 0};
  for (auto& w : p.work) w = {cons, prod};
  s->passes = {p};
  RunResult r = make_engine("fast")->run(build_spatial_graph(s));
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 3 + 10 * 5);
  EXPECT_LE(r.channels[0].peak_occupancy, 2u);
  EXPECT_EQ(r.channels[0].left_over, 0u);
}

Architecture tiny_arch() {
  Architecture a;
  a.name = "tiny";
  a.exp_fuses_argument = false;  // the derivations below count exp(x - m) as 1 + 7 ops
  a.clock_ghz = 1;
  a.array2d.rows = a.array2d.cols = 2;
  a.array1d.pes = 2;
  a.global_buffer_bytes = 1 << 20;
  a.dram_gb_per_s = 1e6;  // every transfer takes one cycle
  return a;
}

Mapping flat_like(bool pipeline) {
  Mapping m;
  m.name = "flat-tiny";
  m.cascade = STREAMSIM_SOURCE_DIR "/configs/cascades/attention_3pass.cascade";
  m.costs = load_cascade_costs(m.cascade);
  m.binding = {{"QK", ArrayId::A2D}, {"AV", ArrayId::A2D}, {"GM", ArrayId::A1D},
               {"SN", ArrayId::A1D}, {"SD", ArrayId::A1D}, {"A", ArrayId::A1D}};
  m.pipeline_epochs = pipeline;
  m.interleave = false;
  return m;
}

// FLAT's 3-pass cascade on a 2x2 array, 2 1D PEs, seq 2, E = F = 1, one block, no
// pipelining. Derivation (channels L = R = 1):
//   DRAM loads Q,K at 0 (visible 1) and V at 1 (visible 2).
//   2D QK: dequeues at 1, 1 cycle of MACs + fill (2-1)+(2-1) = 2: LM... visible at 4.
//   1D GM: 4 -> 6 (4 points / 2 PEs); SN+SD: (1 + 7 + 1) x 2 = 18 -> 24; A: 24 -> 26 (visible 26).
//   2D AV: dequeues at 26, visible at 26 + 1 + 2 = 29; DRAM stores AV at 29, ends at 30.
TEST(SpatialSim, TinyFlatMatchesHandDerivedCycles) {
  Workload w;
  w.model = "tiny";
  w.heads = 1;
  w.batch = 1;
  w.E = w.F = 1;
  w.seq = 2;
  SpatialResult r = simulate(tiny_arch(), flat_like(false), w);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.cycles, 30);
  EXPECT_NEAR(r.util_2d, 8.0 / (4 * 30), 1e-12);   // QK and AV: 4 points x 1 MAC each
  EXPECT_NEAR(r.util_1d, 44.0 / (2 * 30), 1e-12);  // GM 4 + SN 32 + SD 4 + A 4
  EXPECT_DOUBLE_EQ(r.dram_bytes, 4 + 4 + 4 + 4);   // Q, K, V in; AV out
  EXPECT_DOUBLE_EQ(r.spill_fraction, 0);
}

// Per-stage work of FuseMax on the cloud configuration, derived from the array sizes.
TEST(SpatialSim, FuseMaxStageWorkFromArrayDimensions) {
  Architecture a;  // defaults are the cloud configuration
  Mapping m;
  m.name = "fusemax";
  m.costs = load_cascade_costs(STREAMSIM_SOURCE_DIR "/configs/cascades/attention_1pass.cascade");
  m.P1 = 16;
  for (const char* e : {"BQK", "LM", "SLN", "SLD", "SLNV"}) m.binding[e] = ArrayId::A2D;
  for (const char* e : {"RM", "PRM", "SPD", "RD", "SPNV", "RNV", "AV"}) m.binding[e] = ArrayId::A1D;
  Workload w;
  w.seq = 65536;
  CompiledMapping cm = compile_mapping(a, m, w);
  const Schedule& s = cm.schedule;
  auto stage = [&](const std::string& name) {
    for (std::size_t i = 0; i < s.stages.size(); ++i)
      if (s.stages[i].name == "pass1." + name) return static_cast<int>(i);
    ADD_FAILURE() << "no stage " << name;
    return 0;
  };
  const auto& mid = s.passes[0].work[0];  // an epoch in the middle of a K/V chunk
  EXPECT_EQ(mid[stage("BQK+LM")].ii, 64 + 1);                 // E MACs + one max per PE
  EXPECT_EQ(mid[stage("BQK+LM")].latency, 65 + 255 + 255);   // + the wavefront across 256x256
  EXPECT_EQ(mid[stage("RM")].ii, 1);
  EXPECT_EQ(mid[stage("SLN+SLD+SLNV")].ii, 7 + 1 + 64);      // exp(x - m) = 6 MAC + 1 add, sum, F MACs
  EXPECT_EQ(mid[stage("PRM+SPD+RD+SPNV+RNV")].ii, 7 + 1 + 1 + 64 + 64);
  EXPECT_FALSE(mid[stage("AV")].active);
  EXPECT_EQ(s.passes[0].work[kLast][stage("AV")].ii, 64 * 16);  // F x P1·P0 divisions on 256 PEs
  EXPECT_FALSE(mid[stage("load")].active);                      // K/V reused across the P1 tiles
  const StageWork& chunk = s.passes[0].work[kChunkStart][stage("load")];
  EXPECT_DOUBLE_EQ(chunk.bytes, 2.0 * 64 * 256 * 2);           // K and V chunks
  EXPECT_EQ(chunk.ii, 155);                                     // 65536 B / (400/0.94 B per cycle)
  EXPECT_EQ(cm.M1, 256);
  EXPECT_EQ(cm.P2, 16);
  EXPECT_EQ(cm.blocks_total, 64 * 12 * 16);
  // A stage fed by the other array lags it by enough epochs to hide its latency.
  EXPECT_GE(s.stages[stage("RM")].skew * 139, 576);
  EXPECT_LE(cm.registers_needed, a.array2d.register_file_entries);
}

// Extrapolating over identical blocks agrees with simulating them all.
TEST(SpatialSim, BlockExtrapolationMatchesFullRun) {
  Architecture a;
  Mapping m = flat_like(true);
  m.name = "flat";
  Workload w;
  w.heads = 2;
  w.batch = 2;
  w.seq = 2048;
  SimOptions exact;
  SpatialResult full = simulate(a, m, w, exact);
  ASSERT_TRUE(full.exact);
  SimOptions few;
  few.max_blocks = 4;
  SpatialResult ex = simulate(a, m, w, few);
  ASSERT_FALSE(ex.exact);
  EXPECT_NEAR(ex.cycles / full.cycles, 1.0, 0.005);
  EXPECT_NEAR(ex.util_1d, full.util_1d, 0.005);
  EXPECT_DOUBLE_EQ(ex.dram_bytes, full.dram_bytes);
}

}  // namespace
}  // namespace streamsim::spatial
