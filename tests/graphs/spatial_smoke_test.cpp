#include <gtest/gtest.h>
#include <cstdio>
#include "graphs/spatial/spatial_sim.h"
using namespace streamsim::spatial;
TEST(SpatialSmoke, Print) {
  std::string dir = STREAMSIM_SOURCE_DIR "/configs/spatial/";
  Architecture a = load_architecture(dir + "cloud.yaml");
  for (std::string m : {"fusemax", "flat", "unfused", "ablation_1pass_flat_binding", "ablation_no_interleave"}) {
    Mapping mp = load_mapping(dir + m + ".yaml");
    for (long seq : {1024L, 16384L, 1048576L}) {
      Workload w; w.seq = seq;
      SpatialResult r = simulate(a, mp, w);
      printf("%-24s seq %8ld cycles %.4g u2d %.3f u1d %.3f udram %.3f buf %.3g dram %.3g spill %.3f blocks %ld/%ld wall %.3f\n",
        m.c_str(), seq, r.cycles, r.util_2d, r.util_1d, r.util_dram, r.peak_buffer_bytes, r.dram_bytes, r.spill_fraction,
        (long)r.blocks_simulated, (long)r.blocks_total, r.wall_seconds);
    }
  }
}
