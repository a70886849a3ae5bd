#pragma once
// Turns "which unit is blocked on which channel" into a Deadlock diagnosis with the wait-for
// cycle, the same way for every engine.
#include <vector>

#include "sim/core/channel_state.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim {

struct BlockInfo {
  int channel = -1;       // -1: the unit is not blocked (finished or stopped)
  bool on_input = false;  // true: waits for data on an input; false: waits for credit on an output
};

// blocks[u] for every unit; states[c] for every channel; units[u] the unit objects.
Deadlock analyse_deadlock(const Graph& graph, const std::vector<BlockInfo>& blocks,
                          const std::vector<const ChannelState*>& states,
                          const std::vector<std::unique_ptr<Unit>>& units, Cycle cycle);

}  // namespace streamsim
