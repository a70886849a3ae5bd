#pragma once
// The derived figures of a run, computed in one place for the text and JSON reports.
#include <cstdint>
#include <vector>

#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim {

struct RunSummary {
  // Σ transfers on channels into sink units (units with no output ports).
  std::uint64_t tokens_out = 0;
  double throughput = 0;               // tokens_out / cycles
  std::uint64_t total_buffer = 0;      // Σ peak occupancy over all channels (slots actually used)
  std::uint64_t allocated_buffer = 0;  // Σ depth over all channels (slots provisioned)
  double transfers_per_second = 0;     // Σ channel transfers / wall seconds (simulation rate)
  std::vector<double> utilization;     // per unit: busy cycles / run cycles
};

// `result` must come from running `graph` (stats are indexed like the graph's units/channels).
RunSummary summarize(const Graph& graph, const RunResult& result);

// The channel whose producer waited longest for credit, or nullptr if no producer ever did.
const ChannelStats* most_back_pressure(const RunResult& result);

}  // namespace streamsim
