#pragma once
// Small spatial-array blocks for the tile-level vs PE-level tests.
#include <cstdint>
#include <string>

#include "graphs/spatial/architecture.h"
#include "graphs/spatial/workload.h"

namespace streamsim::spatial::testing {

inline const std::string kSpatialConfigs = STREAMSIM_SOURCE_DIR "/configs/spatial/";

// An R x C array with K 1D PEs from `file` (cloud.yaml: sequential 1D PEs, exp = 7 cycles;
// cloud_flat.yaml: FLAT's pipelined 1D PEs). DRAM so fast that every transfer takes one cycle:
// the PE-level model has no DRAM, its feeds are the global buffer's ports.
inline Architecture small_array(const std::string& file, int R, int C, int K) {
  Architecture a = load_architecture(kSpatialConfigs + file);
  a.array2d.rows = R;
  a.array2d.cols = C;
  a.array1d.pes = K;
  a.dram_gb_per_s = 1e6;
  return a;
}

// One head's block: sequence length `seq`, head dims E (keys) and F (values).
inline Workload shape(std::int64_t seq, int E, int F) {
  Workload w;
  w.model = "test";
  w.seq = seq;
  w.E = E;
  w.F = F;
  return w;
}

}  // namespace streamsim::spatial::testing
