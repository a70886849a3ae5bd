#pragma once
// A channel depth that is "unbounded" for one graph: deep enough that no channel ever fills,
// so that making channels deeper cannot change the run. The reference for FIFO sizing.
#include "sim/engines/engine.h"

namespace streamsim {

// Doubles the depth, starting at `start`, until the run with every channel at that depth
// finishes and every channel's peak occupancy is at most half of it (the other half covers
// credits in flight, so no producer ever waited for space). The graph's depths are restored.
// Throws Error if `cap` is passed first (the run deadlocks or needs more buffer than `cap`).
Cycle find_unbounded_depth(Graph& graph, Engine& engine, Cycle start = 1024, Cycle cap = Cycle{1} << 24);

}  // namespace streamsim
