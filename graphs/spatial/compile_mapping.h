#pragma once
// Compiles (architecture, mapping, workload) into a tile-level Schedule: passes (fused by
// the cascade's passes, or one per Einsum when unfused), per-pass stages (runs of Einsums
// bound to one array, DRAM loads and stores), edges between them, and the work of every
// stage in every kind of epoch. Also plans the global buffer: what stays resident (Q,
// running state, outputs), what is staged through FIFOs, and — for tensors that cross
// passes, FLAT's softmax rows — the fraction that does not fit and is spilled to DRAM.
#include <cstdint>
#include <string>
#include <vector>

#include "graphs/spatial/architecture.h"
#include "graphs/spatial/mapping.h"
#include "graphs/spatial/schedule.h"
#include "graphs/spatial/workload.h"

namespace streamsim::spatial {

struct CompiledMapping {
  Schedule schedule;  // schedule.blocks = blocks_total; a simulation may run fewer
  std::int64_t blocks_total = 1;
  int M0 = 0, P0 = 0, P1 = 1;
  std::int64_t M1 = 1, P2 = 1;
  double resident_bytes = 0;   // on chip for a whole block: Q, running state, outputs
  double spillable_bytes = 0;  // tensors crossing passes (whole softmax rows), if all kept
  double staging_bytes = 0;    // Σ FIFO depth × token bytes: reserved for staging
  double spill_fraction = 0;   // 1 - min(1, free buffer / spillable bytes)
  double kept_bytes = 0;       // spillable bytes kept on chip
  int registers_needed = 0;    // per 2D PE
  int pipeline_depth = 0;      // epochs a returning run lags (0 = not pipelined)
  int unit_dram = 0, unit_2d = 1, unit_1d = 2;
};

CompiledMapping compile_mapping(const Architecture& arch, const Mapping& mapping, const Workload& w);

}  // namespace streamsim::spatial
