#pragma once
// The PE-level model of a whole FuseMax mapping (docs/spatial.md, "PE-level model"): every
// PE of the 2D array (R x C) and of the 1D array (K) is a unit (pe_units.h), neighbours are
// joined by FIFOs, and the global buffer feeds Q into the rows and K, V into the columns.
// It runs one block with the compiled mapping's tiles (M0, P0, P1) and software-pipelining
// skews, interleaving BQK+LM with SLN+SLD+SLNV on the 2D array as FuseMax's binding does
// (or, for `interleave: false`, switching between them array-wide: every PE waits for the
// whole array to drain, pe2d_unit.cpp), and computes attention for real. compare_tile_and_pe() runs
// it beside the tile-level schedule of the same block (with ideal DRAM: the PE level has none),
// overall and per stage.
#include <string>
#include <vector>

#include "graphs/spatial/architecture.h"
#include "graphs/spatial/compile_mapping.h"
#include "graphs/spatial/mapping.h"
#include "graphs/spatial/workload.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim::spatial {

// Which mapping the PE-level graph models: FuseMax's (here) or FLAT's (pe_flat.h).
enum class PeModel { FuseMax, Flat };

// What the PE-level graph needs, read from a compiled mapping.
struct PeLevelPlan {
  PeModel model = PeModel::FuseMax;
  int R = 0, C = 0, K = 0;  // P0 rows, M0 columns, 1D PEs
  int E = 0, F = 0, P1 = 1;
  std::int64_t epochs = 0;                     // M1 * P1 tiles of one block
  int sl_skew = 0, rm_skew = 0, prm_skew = 0;  // FuseMax
  int gm_skew = 0, av_skew = 0;  // FLAT: GM behind QK, AV behind A (sizes the arrays' FIFOs)
  Cycle exp_cycles = 7;          // exp(x - m): 6 MACs + 1 add (+1 if the subtraction is not fused)
  bool interleave = true;
};

// The stage of `schedule` whose name ends in ".<runs>" (pass1.BQK+LM, ...), or -1.
int schedule_stage(const Schedule& schedule, const std::string& runs);

// FuseMax's or FLAT's plan, by the compiled schedule's passes. Throws Error naming what the
// PE-level model does not cover (another binding or cascade, pipelined 2D PEs, K not
// dividing P0, ragged tiles).
PeLevelPlan pe_level_plan(const Architecture& arch, const Mapping& mapping,
                          const CompiledMapping& compiled, const Workload& w);
// FuseMax's units: q<p>, k<m>, v<m> feeds; pe<p>_<m>; pe1d<k>; av<k> sinks (AV of pe1d<k>'s
// queries). FLAT's: pe_flat.h.
Graph build_pe_level_graph(const PeLevelPlan& plan);
// AV[p][f] of one block (p over P1 * P0 queries) from a finished PE-level run.
std::vector<std::vector<double>> pe_level_av(const PeLevelPlan& plan, const RunResult& result);

struct StageComparison {
  std::string stage;    // e.g. "BQK+LM"
  Cycle tile_busy = 0;  // Σ II of the stage over the block (tile-level schedule)
  Cycle pe_busy = 0;    // busiest PE's cycles in the stage (PE-level run)
};
struct PeComparison {
  PeLevelPlan plan;
  Cycle tile_cycles = 0, pe_cycles = 0;  // one block, each model's run length
  std::vector<StageComparison> stages;
  double max_abs_error = 0;  // PE-level AV against a direct softmax(QK^T)V
  // FLAT: the softmax rows the tile-level buffer plan keeps, and the PE level's peak (bytes).
  double tile_row_bytes = 0, pe_row_bytes = 0;
};
PeComparison compare_tile_and_pe(const Architecture& arch, const Mapping& mapping,
                                 const Workload& w, const std::string& engine = "fast");

}  // namespace streamsim::spatial
