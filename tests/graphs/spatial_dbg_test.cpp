#include <gtest/gtest.h>
#include <cstdio>
#include "graphs/spatial/spatial_sim.h"
using namespace streamsim::spatial;
TEST(SpatialDbg, Print) {
  std::string dir = STREAMSIM_SOURCE_DIR "/configs/spatial/";
  Architecture a = load_architecture(dir + "cloud.yaml");
  Mapping mp = load_mapping(dir + "fusemax.yaml");
  Workload w; w.seq = 4096;
  auto cm = compile_mapping(a, mp, w);
  auto r = run_blocks(cm, 1, "fast"); printf("depth %d\n", cm.pipeline_depth);
  for (size_t e = 0; e < cm.schedule.edges.size(); ++e)
    printf("%s peak %lu depth %ld bytes %g transfers %lu left %lu\n", r.channels[e].name.c_str(), (unsigned long)r.channels[e].peak_occupancy, (long)r.channels[e].depth, cm.schedule.edges[e].token_bytes, (unsigned long)r.channels[e].transfers, (unsigned long)r.channels[e].left_over);
  for (auto& u : r.units) printf("%s clock %ld busy %ld firings %lu\n", u.name.c_str(), (long)u.final_clock, (long)u.busy_cycles, (unsigned long)u.firings);
  for (auto& s : cm.schedule.stages) printf("stage %s unit %d skew %d\n", s.name.c_str(), s.unit, s.skew);
}
