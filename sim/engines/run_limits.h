#pragma once
// The checks every engine makes before a run allocates or simulates anything, so that the hot
// loops need none: the run's time horizon, the bound on the largest time it can reach
// (sim/core/time_limits.h) and the memory its channels will take (sim/core/memory_limit.h).
#include <memory>
#include <vector>

#include "sim/core/graph.h"
#include "sim/engines/engine.h"

namespace streamsim {

// No firing starts at or after this time: options.max_cycles, or kMaxTime when unbounded.
// Throws Error if max_cycles is negative or above kMaxTime.
Cycle run_horizon(const RunOptions& options);

// Sum of every unit's largest firing delay and every channel's latency + response latency;
// throws Error naming the largest contributor if it is above kMaxDelaySum (then a time could
// pass 2^63), or naming a unit whose largest firing delay is above 2 x kMaxDelay.
Cycle delay_sum(const Graph& graph, const std::vector<std::unique_ptr<Unit>>& units);

// Bytes the engines allocate for the graph's channels and per-unit token staging; throws
// Error naming the channel (or the total) when above memory_limit().
std::uint64_t check_run_memory(const Graph& graph);

// The error of a run that reached kMaxTime without --max-cycles: names the unit and its clock.
[[noreturn]] void throw_time_horizon(const std::string& unit, Cycle clock);

}  // namespace streamsim
