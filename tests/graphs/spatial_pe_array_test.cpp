// PE-level array (every PE a unit) against the tile-level formula, and its values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "graphs/spatial/pe_array.h"
#include "sim/engines/engine.h"

namespace streamsim::spatial {
namespace {

TEST(SpatialPeArray, ComputesTheRowMaxOfQK) {
  PeArrayShape s{3, 5, 4, 3};
  RunResult r = make_engine("fast")->run(build_pe_array_bqk_lm(s));
  ASSERT_EQ(r.status, RunStatus::Finished);
  for (int p = 0; p < s.rows; ++p) {
    std::vector<double> lm = pe_array_lm_values(r, p);
    ASSERT_EQ(lm.size(), 3u);
    for (int t = 0; t < s.tiles; ++t) {
      double want = -INFINITY;
      for (int m = 0; m < s.cols; ++m) {
        double dot = 0;
        for (int e = 0; e < s.E; ++e) dot += pe_q_value(t, e, p) * pe_k_value(t, e, m);
        want = std::max(want, dot);
      }
      EXPECT_NEAR(lm[t], want, 1e-12) << "row " << p << " tile " << t;
    }
  }
}

// Every PE fires E MACs and one reduce per tile, II 1: busy E+1 cycles per tile.
TEST(SpatialPeArray, EveryPeIsBusyEPlusOneCyclesPerTile) {
  PeArrayShape s{4, 4, 8, 5};
  RunResult r = make_engine("fast")->run(build_pe_array_bqk_lm(s));
  for (const auto& u : r.units)
    if (u.type == "pe") {
      EXPECT_EQ(u.busy_cycles, 5 * 9) << u.name;
    }
}

// The tile-level stage (II = E + 1, latency = E + 1 + (R-1) + (C-1)) matches the PE-level
// array within 2% on a sweep of shapes up to 16x16.
TEST(SpatialPeArray, TileLevelWithinTwoPercentOfPeLevel) {
  auto engine = make_engine("fast");
  auto one_pass = load_cascade_costs(STREAMSIM_SOURCE_DIR "/configs/cascades/attention_1pass.cascade");
  int compared = 0;
  double worst = 0;
  for (int R : {2, 4, 8, 16})
    for (int C : {2, 5, 16})
      for (int E : {4, 16, 64})
        for (int tiles : {4, 16}) {
          PeArrayShape s{R, C, E, tiles};
          RunResult pe = engine->run(build_pe_array_bqk_lm(s));
          RunResult tile = engine->run(build_tile_bqk_lm(s, *one_pass));
          ASSERT_EQ(pe.status, RunStatus::Finished);
          ASSERT_EQ(tile.status, RunStatus::Finished);
          double rel = std::abs(double(tile.cycles) - double(pe.cycles)) / double(pe.cycles);
          EXPECT_LE(rel, 0.02) << R << "x" << C << " E=" << E << " tiles=" << tiles << ": tile "
                               << tile.cycles << " vs PE " << pe.cycles;
          worst = std::max(worst, rel);
          ++compared;
        }
  EXPECT_EQ(compared, 72);
  std::printf("worst |tile - PE| / PE over %d shapes: %.4f\n", compared, worst);
}

}  // namespace
}  // namespace streamsim::spatial
