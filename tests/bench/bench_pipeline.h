#pragma once
// The benchmark workload as a streamsim graph: source -> S map stages -> sink, every FIFO of
// depth 2 with L = R = 1, every unit II = latency = 1.
#include <cstdint>

#include "sim/core/graph.h"

namespace streamsim::bench {

struct PipelineSpec {
  std::uint64_t tokens = 10'000'000;
  int stages = 8;
  bool library_units = false;  // map stages from the registered operator library
};

Graph build_bench_pipeline(const PipelineSpec& spec);

// What every variant must compute: the sink sees `tokens` values, the last being
// (tokens - 1) + stages (each stage adds one).
double expected_last_value(const PipelineSpec& spec);
// ... and the sum of all the values it sees.
double expected_sum(const PipelineSpec& spec);

}  // namespace streamsim::bench
