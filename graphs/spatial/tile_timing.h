#pragma once
// Tile-level timing of an Einsum on the 2D array, derived from its dimensions: the pipeline
// fill (and drain) a stage adds on top of its steady-state cycles. Shared by the mapping
// compiler and by the PE-level cross-check (pe_array.h), so both use the same formula.
#include "graphs/spatial/cascade_costs.h"
#include "sim/core/types.h"

namespace streamsim::spatial {

// Operands stream in from the left and top edges and each PE forwards them one hop per
// cycle, so PE (i, j) starts i + j cycles after PE (0, 0): a matmul's wavefront takes
// (R-1) + (C-1) cycles to cross. A reduction over m0 chained along a row in step with
// that wavefront adds no fill of its own beyond the C-1 hops. Elementwise work on values
// held in the PEs' registers adds none.
inline Cycle fill_2d(EinsumKind kind, Cycle rows, Cycle cols) {
  switch (kind) {
    case EinsumKind::Matmul:
    case EinsumKind::ReduceMatmul: return (rows - 1) + (cols - 1);
    case EinsumKind::RowReduce: return cols - 1;
    case EinsumKind::Elementwise: return 0;
  }
  return 0;
}

// Tiles a stage with this II and latency has in flight at once (in its wavefront, not in
// the buffer). Its output FIFO needs that many extra slots, or the FIFO's credit loop
// (C tokens per latency + R cycles, docs/timing-model.md) would throttle the stage.
inline Cycle in_flight_tiles(Cycle ii, Cycle latency) { return (latency + 1 + ii - 1) / ii; }

}  // namespace streamsim::spatial
