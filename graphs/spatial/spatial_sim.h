#pragma once
// Runs a mapping at tile level on a streamsim engine and reports what the FuseMax study
// needs: cycles, 2D and 1D utilization (busy PE-cycles / (PEs × cycles)), peak global buffer
// use, DRAM traffic. Blocks (batch × heads × P2 query blocks) are identical, so when there
// are many, a prefix of n and of n−1 blocks is simulated and the rest extrapolated from the
// difference (the steady-state period of one block); with few blocks the run is exact.
#include <cstdint>
#include <memory>
#include <string>

#include "graphs/spatial/compile_mapping.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim::spatial {

struct SimOptions {
  std::string engine = "fast";
  std::int64_t max_simulated_epochs = 200000;  // beyond this, extrapolate over blocks
  std::int64_t max_blocks = -1;                // if >= 0, simulate at most this many blocks
};

struct SpatialResult {
  std::string architecture, mapping, model;
  std::int64_t seq = 0;
  int batch = 0, heads = 0;
  double cycles = 0;
  double seconds = 0;
  double util_2d = 0, util_1d = 0, util_dram = 0;
  double peak_buffer_bytes = 0;
  double dram_bytes = 0;
  double spill_fraction = 0;
  std::int64_t blocks_total = 0, blocks_simulated = 0;
  bool exact = true;
  int M0 = 0, P0 = 0, P1 = 1;
  double wall_seconds = 0;
};

// The streamsim graph of a schedule: one StageUnit per resource, one FIFO per edge.
Graph build_spatial_graph(std::shared_ptr<const Schedule> schedule);

// Runs `compiled` with `blocks` blocks; returns the engine's result.
RunResult run_blocks(const CompiledMapping& compiled, std::int64_t blocks, const std::string& engine);

SpatialResult simulate(const Architecture& arch, const Mapping& mapping, const Workload& w,
                       const SimOptions& options = {});

}  // namespace streamsim::spatial
