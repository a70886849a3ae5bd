#include "sim/engines/unbounded_depth.h"

#include <algorithm>

#include "sim/core/error.h"

namespace streamsim {

Cycle find_unbounded_depth(Graph& graph, Engine& engine, Cycle start, Cycle cap) {
  const int n = graph.channel_count();
  std::vector<Cycle> original(static_cast<std::size_t>(n));
  for (int c = 0; c < n; ++c) original[c] = graph.channel(c).timing.depth;
  auto restore = [&] {
    for (int c = 0; c < n; ++c) graph.channel(c).timing.depth = original[c];
  };
  std::string last;
  try {
    for (Cycle depth = std::max<Cycle>(start, 2); depth <= cap; depth *= 2) {
      for (int c = 0; c < n; ++c) graph.channel(c).timing.depth = depth;
      RunResult r = engine.run(graph);
      if (r.status != RunStatus::Finished) {
        last = std::string("the run ") + (r.status == RunStatus::Deadlock ? "deadlocks" : "does not finish") +
               " with every channel at depth " + std::to_string(depth);
        continue;
      }
      std::uint64_t peak = 0;
      for (const ChannelStats& s : r.channels) peak = std::max(peak, s.peak_occupancy);
      if (peak * 2 <= static_cast<std::uint64_t>(depth)) {
        restore();
        return depth;
      }
      last = "a channel holds " + std::to_string(peak) + " tokens at depth " + std::to_string(depth);
    }
  } catch (...) {
    restore();
    throw;
  }
  restore();
  throw Error("no unbounded depth up to " + std::to_string(cap) + ": " + last +
              "; the graph needs more buffer than that (or deadlocks for another reason)");
}

}  // namespace streamsim
