#pragma once
// `size`-style FIFO sizing: per channel, the smallest depth that keeps the run as fast as
// with (practically) unbounded channels.
#include <functional>
#include <string>
#include <vector>

#include "sim/engines/engine.h"

namespace streamsim {

struct ChannelDepth {
  std::string channel;
  Cycle depth = 0;  // smallest depth with the unbounded cycle count, others unbounded
};

struct DepthSearchResult {
  Cycle unbounded_cycles = 0;  // every channel at `unbounded_depth`
  std::vector<ChannelDepth> channels;
  Cycle total_depth = 0;       // sum of the found depths
  Cycle combined_cycles = 0;   // every channel at its found depth at once
  RunStatus combined_status = RunStatus::Finished;
};

// Galloping then binary search per channel (the others held at `unbounded_depth`), assuming a deeper channel
// never makes the run slower. The graph's depths are restored before returning. Throws Error
// if the unbounded run itself does not finish (deepen `unbounded_depth`).
// `on_channel(done, total)` is called after each channel's search (progress for long searches).
DepthSearchResult search_min_depths(Graph& graph, Engine& engine, Cycle unbounded_depth = 4096,
                                    const std::function<void(int, int)>& on_channel = {});

}  // namespace streamsim
