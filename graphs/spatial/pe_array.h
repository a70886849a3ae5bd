#pragma once
// PE-level model of the 2D array (for arrays up to about 16x16): every PE is a unit and
// neighbours are connected by FIFOs. It runs FuseMax's first 2D stage, BQK + LM, on a
// stream of tiles: Q[e, p] enters row p from the left, K[e, m] enters column m from the
// top; PE (p, m) forwards both, accumulates its dot product over E (output stationary),
// then takes part in the row's max-reduction, chained left to right through the inter-PE
// network; the last column hands LM[p] to a row sink. Values are real, so the result can
// be checked, and its cycles can be compared with the tile-level formula (tile_timing.h).
#include <cstdint>
#include <vector>

#include "graphs/spatial/cascade_costs.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim::spatial {

struct PeArrayShape {
  int rows = 4, cols = 4;  // P0 x M0 tile = R x C PEs
  int E = 8;               // contraction length
  int tiles = 4;           // tiles streamed through the array
};

// Deterministic operand values (tile t, contraction index e, row p / column m).
double pe_q_value(int t, int e, int p);
double pe_k_value(int t, int e, int m);

// The PE-level graph; row sink p is named "lm<p>" (see pe_array_lm_values).
Graph build_pe_array_bqk_lm(const PeArrayShape& shape);
// The tile-level graph of the same work: operand feed -> one 2D-array stage per tile
// (II and latency from the cascade's BQK and LM costs and fill_2d) -> sink.
Graph build_tile_bqk_lm(const PeArrayShape& shape, const Cascade& one_pass);
// LM values collected by row sink p of a finished PE-level run, one per tile.
std::vector<double> pe_array_lm_values(const RunResult& result, int row);

}  // namespace streamsim::spatial
