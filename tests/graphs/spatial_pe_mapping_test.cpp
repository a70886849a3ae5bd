// The PE-level model of the whole FuseMax mapping (every 2D and 1D PE a unit) against the
// tile-level schedule of the same block: attention values, per-stage work, total cycles.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "graphs/spatial/pe_mapping.h"
#include "sim/core/error.h"
#include "sim/core/registry.h"
#include "tests/support/spatial_blocks.h"

namespace streamsim::spatial {
namespace {

const std::string& kDir = testing::kSpatialConfigs;
using testing::shape;
// FuseMax's cloud PEs (tests/support/spatial_blocks.h).
Architecture small_array(int R, int C, int K) {
  return testing::small_array("cloud.yaml", R, C, K);
}

TEST(SpatialPeMapping, ComputesAttention) {
  PeComparison c = compare_tile_and_pe(small_array(4, 4, 2), load_mapping(kDir + "fusemax.yaml"),
                                       shape(16, 8, 4));
  EXPECT_EQ(c.plan.P1, 4);
  EXPECT_EQ(c.plan.epochs, 16);  // M1 = 4 chunks x P1 = 4 query tiles
  EXPECT_LT(c.max_abs_error, 1e-12);
}

// Per-stage cycles of the busiest PE, counted from the PE's ops, not from the cost table:
// BQK+LM: E MACs + 1 max; SLN+SLD+SLNV: exp (6 MACs + 1 add) + 1 add + F MACs; RM: 1 max
// per query; PRM..RNV: exp + SPD + RD + 2 per f, per query; AV: F divisions per query of
// the block, once. Here R = 4, C = 8, K = 2 (2 queries per 1D PE), E = 16, F = 8, seq 32:
// P1 = 8 (P0 = 4), M1 = 4, 32 tiles.
TEST(SpatialPeMapping, StageWorkFromFirstPrinciples) {
  PeComparison c = compare_tile_and_pe(small_array(4, 8, 2), load_mapping(kDir + "fusemax.yaml"),
                                       shape(32, 16, 8));
  ASSERT_EQ(c.plan.epochs, 32);
  const Cycle want[] = {17 * 32, 2 * 32, 16 * 32, 2 * (7 + 2 + 2 * 8) * 32, 8 * 2 * 8};
  ASSERT_EQ(c.stages.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(c.stages[i].pe_busy, want[i]) << c.stages[i].stage;
    EXPECT_EQ(c.stages[i].tile_busy, want[i]) << c.stages[i].stage;
  }
  EXPECT_LT(c.max_abs_error, 1e-12);
}

// exp(x - m) costs one more op when the subtraction is not absorbed into exp.
TEST(SpatialPeMapping, UnfusedExpArgumentCostsACycleOnBothLevels) {
  Architecture a = small_array(4, 4, 4);
  a.exp_fuses_argument = false;
  PeComparison c = compare_tile_and_pe(a, load_mapping(kDir + "fusemax.yaml"), shape(16, 4, 4));
  EXPECT_EQ(c.plan.exp_cycles, 8);
  EXPECT_EQ(c.stages[2].pe_busy, (8 + 1 + 4) * 16);
  EXPECT_EQ(c.stages[2].tile_busy, c.stages[2].pe_busy);
}

TEST(SpatialPeMapping, RejectsWhatItDoesNotModel) {
  EXPECT_THROW(compare_tile_and_pe(small_array(4, 4, 4), load_mapping(kDir + "unfused.yaml"),
                                   shape(16, 4, 4)),
               Error);
  EXPECT_THROW(compare_tile_and_pe(small_array(4, 4, 3), load_mapping(kDir + "fusemax.yaml"),
                                   shape(16, 4, 4)),
               Error);
}

// The 2% check over the whole mapping: arrays 2x2..16x16 (square and not), K = R and R/2,
// three E/F pairs, blocks of 2, 4 and 8 K/V chunks (4 to 128 tiles). Asserted, per shape:
// - every stage's work (cycles of the busiest PE) within 2% (it is exact);
// - the block's total cycles within 2% once the block has 8 chunks (>= 32 tiles);
// - the growth from 4 to 8 chunks (the steady state: cycles per tile) within 2%;
// - on the shortest blocks, |tile - PE| within one tile's 2D work: the residual is a constant
//   of the run's start and end (docs/spatial.md), 4 to 12 cycles with E = F = 4.
TEST(SpatialPeMapping, TileLevelWithinTwoPercentOfPeLevelForEveryStage) {
  const Mapping fusemax = load_mapping(kDir + "fusemax.yaml");
  struct Array {
    int R, C;
  };
  struct Dims {
    int E, F;
  };
  int compared = 0;
  double worst_long = 0;
  for (Array arr : {Array{2, 2}, Array{4, 4}, Array{4, 8}, Array{8, 4}, Array{8, 8}, Array{16, 16}})
    for (int K : {arr.R, arr.R / 2})
      for (Dims d : {Dims{4, 4}, Dims{16, 8}, Dims{64, 64}}) {
        Cycle tile_at[9] = {}, pe_at[9] = {};
        for (int chunks : {2, 4, 8}) {
          const std::int64_t seq = std::int64_t(std::max(arr.R, arr.C)) * chunks;
          PeComparison c =
              compare_tile_and_pe(small_array(arr.R, arr.C, K), fusemax, shape(seq, d.E, d.F));
          const std::string what = std::to_string(arr.R) + "x" + std::to_string(arr.C) +
                                   " K=" + std::to_string(K) + " E=" + std::to_string(d.E) +
                                   " F=" + std::to_string(d.F) + " seq=" + std::to_string(seq) +
                                   " tiles=" + std::to_string(c.plan.epochs);
          EXPECT_LT(c.max_abs_error, 1e-9) << what;
          for (const auto& st : c.stages) {
            ASSERT_GT(st.pe_busy, 0) << what << " " << st.stage;
            const double rel =
                std::abs(double(st.tile_busy) - double(st.pe_busy)) / double(st.pe_busy);
            EXPECT_LE(rel, 0.02) << what << " " << st.stage << ": tile " << st.tile_busy
                                 << " vs PE " << st.pe_busy;
          }
          const Cycle diff = c.tile_cycles - c.pe_cycles;
          const Cycle tile_2d = d.E + 1 + 7 + 1 + d.F;  // one tile's 2D work per PE
          EXPECT_LE(std::abs(diff), tile_2d)
              << what << ": tile " << c.tile_cycles << " vs PE " << c.pe_cycles;
          const double rel = std::abs(double(diff)) / double(c.pe_cycles);
          if (chunks == 8) {
            EXPECT_LE(rel, 0.02) << what << ": tile " << c.tile_cycles << " vs PE " << c.pe_cycles;
            worst_long = std::max(worst_long, rel);
          }
          tile_at[chunks] = c.tile_cycles;
          pe_at[chunks] = c.pe_cycles;
          ++compared;
        }
        const double growth_tile = double(tile_at[8] - tile_at[4]),
                     growth_pe = double(pe_at[8] - pe_at[4]);
        EXPECT_LE(std::abs(growth_tile - growth_pe) / growth_pe, 0.02)
            << arr.R << "x" << arr.C << " K=" << K << " E=" << d.E << ": growth " << growth_tile
            << " vs " << growth_pe;
      }
  EXPECT_EQ(compared, 108);
  std::printf("whole FuseMax mapping, worst |tile - PE| / PE over blocks of 8 chunks: %.4f\n",
              worst_long);
}

// The no-interleave ablation at PE level: the array-wide control (done/go tokens) makes every
// PE wait for the whole array to drain before it switches Einsums. With the 2D array the
// bottleneck (8x8, K = 8, E = F = 64: 2D 65 + 72 cycles per tile, 1D 138), each tile adds its
// two stages' work plus one drain, (R-1)+(C-1) = 14 cycles, per switch (two per tile). Without
// the control the PEs would chase each other's wavefronts and a tile would add 138 (1D-bound).
TEST(SpatialPeMapping, NoInterleaveDrainsTheArrayAtEverySwitch) {
  const Mapping m = load_mapping(kDir + "ablation_no_interleave.yaml");
  PeComparison c4 = compare_tile_and_pe(small_array(8, 8, 8), m, shape(32, 64, 64));
  PeComparison c8 = compare_tile_and_pe(small_array(8, 8, 8), m, shape(64, 64, 64));
  ASSERT_EQ(c4.plan.P1, 4);  // 4 chunks x 4 query tiles = 16 tiles
  ASSERT_EQ(c8.plan.P1, 8);  // 8 x 8 = 64
  // 48 more tiles, and the final AV of 4 more query tiles (64 divisions per query, one
  // query per 1D PE per query tile).
  const Cycle want = 48 * (65 + 72 + 2 * 14) + 4 * 64;
  EXPECT_EQ(c8.pe_cycles - c4.pe_cycles, want);
  EXPECT_EQ(c8.tile_cycles - c4.tile_cycles, want);
  EXPECT_LT(c8.max_abs_error, 1e-12);
}

// array_control is validated where the parameters are: it needs interleave: false, and it
// gives the PE its control ports (a PE in the middle: done from the left, go in and out).
TEST(SpatialPeMapping, ArrayControlParameterIsValidated) {
  Params p;
  p.set("row", 1).set("col", 1).set("rows", 4).set("cols", 4).set("E", 4).set("F", 4);
  p.set("epochs", 4).set("array_control", true);
  EXPECT_THROW(make_unit("spatial_pe2d", "pe", p), Error);  // interleave defaults to true
  p.set("interleave", false);
  auto u = make_unit("spatial_pe2d", "pe", p);
  std::vector<std::string> in, out;
  for (const auto& port : u->inputs()) in.push_back(port.name);
  for (const auto& port : u->outputs()) out.push_back(port.name);
  EXPECT_EQ(in, (std::vector<std::string>{"a", "b", "r", "rm", "sd", "v", "nv", "dl", "go"}));
  EXPECT_EQ(out, (std::vector<std::string>{"a", "b", "r", "rm", "sd", "v", "nv", "dn", "go"}));
}

// The 2% check of the no-interleave ablation over arrays 2x2..16x16, K = R and R/2, three
// E/F pairs, blocks of 2, 4 and 8 K/V chunks: every stage's busy cycles within 2%; the
// total within 2% on blocks of 8 chunks; the growth from 4 to 8 chunks within 2%; on the
// shortest blocks |tile - PE| within one tile's 2D period (its work plus two drains).
TEST(SpatialPeMapping, NoInterleaveTileLevelWithinTwoPercentOfPeLevel) {
  const Mapping m = load_mapping(kDir + "ablation_no_interleave.yaml");
  struct Array {
    int R, C;
  };
  struct Dims {
    int E, F;
  };
  int compared = 0;
  double worst_long = 0, worst = 0;
  for (Array arr : {Array{2, 2}, Array{4, 4}, Array{4, 8}, Array{8, 4}, Array{8, 8}, Array{16, 16}})
    for (int K : {arr.R, arr.R / 2})
      for (Dims d : {Dims{4, 4}, Dims{16, 8}, Dims{64, 64}}) {
        Cycle tile_at[9] = {}, pe_at[9] = {};
        for (int chunks : {2, 4, 8}) {
          const std::int64_t seq = std::int64_t(std::max(arr.R, arr.C)) * chunks;
          PeComparison c =
              compare_tile_and_pe(small_array(arr.R, arr.C, K), m, shape(seq, d.E, d.F));
          const std::string what = std::to_string(arr.R) + "x" + std::to_string(arr.C) +
                                   " K=" + std::to_string(K) + " E=" + std::to_string(d.E) +
                                   " F=" + std::to_string(d.F) + " seq=" + std::to_string(seq) +
                                   " tiles=" + std::to_string(c.plan.epochs);
          EXPECT_LT(c.max_abs_error, 1e-9) << what;
          for (const auto& st : c.stages) {
            ASSERT_GT(st.pe_busy, 0) << what << " " << st.stage;
            const double rel =
                std::abs(double(st.tile_busy) - double(st.pe_busy)) / double(st.pe_busy);
            EXPECT_LE(rel, 0.02) << what << " " << st.stage << ": tile " << st.tile_busy
                                 << " vs PE " << st.pe_busy;
          }
          const Cycle diff = c.tile_cycles - c.pe_cycles;
          const Cycle period_2d = d.E + 1 + 7 + 1 + d.F + 2 * ((arr.R - 1) + (arr.C - 1));
          EXPECT_LE(std::abs(diff), period_2d)
              << what << ": tile " << c.tile_cycles << " vs PE " << c.pe_cycles;
          const double rel = std::abs(double(diff)) / double(c.pe_cycles);
          worst = std::max(worst, rel);
          if (chunks == 8) {
            EXPECT_LE(rel, 0.02) << what << ": tile " << c.tile_cycles << " vs PE " << c.pe_cycles;
            worst_long = std::max(worst_long, rel);
          }
          tile_at[chunks] = c.tile_cycles;
          pe_at[chunks] = c.pe_cycles;
          ++compared;
        }
        const double growth_tile = double(tile_at[8] - tile_at[4]),
                     growth_pe = double(pe_at[8] - pe_at[4]);
        EXPECT_LE(std::abs(growth_tile - growth_pe) / growth_pe, 0.02)
            << arr.R << "x" << arr.C << " K=" << K << " E=" << d.E << ": growth " << growth_tile
            << " vs " << growth_pe;
      }
  EXPECT_EQ(compared, 108);
  std::printf(
      "no-interleave ablation, worst |tile - PE| / PE: %.4f (blocks of 8 chunks), %.4f (all)\n",
      worst_long, worst);
}

}  // namespace
}  // namespace streamsim::spatial
