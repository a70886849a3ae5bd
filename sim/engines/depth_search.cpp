#include "sim/engines/depth_search.h"

#include "sim/core/error.h"

namespace streamsim {

namespace {

bool as_fast(Engine& engine, const Graph& graph, Cycle target) {
  RunResult r = engine.run(graph);
  return r.status == RunStatus::Finished && r.cycles == target;
}

}  // namespace

DepthSearchResult search_min_depths(Graph& graph, Engine& engine, Cycle unbounded_depth,
                                    const std::function<void(int, int)>& on_channel) {
  const int n = graph.channel_count();
  std::vector<Cycle> original(static_cast<std::size_t>(n));
  for (int c = 0; c < n; ++c) {
    original[c] = graph.channel(c).timing.depth;
    graph.channel(c).timing.depth = unbounded_depth;
  }
  DepthSearchResult out;
  try {
    RunResult base = engine.run(graph);
    if (base.status != RunStatus::Finished)
      throw Error("depth search: the run with every channel at depth " +
                  std::to_string(unbounded_depth) + " does not finish (" +
                  run_status_name(base.status) + "); give a larger unbounded depth");
    out.unbounded_cycles = base.cycles;
    for (int c = 0; c < n; ++c) {
      // Galloping search: try depths 1, 2, 4, ... until one is as fast, then bisect the last
      // doubling. Most channels need a handful of slots, so this takes ~2 log2(answer) runs
      // instead of log2(unbounded_depth) (20 runs per channel at 2^20), which is what made
      // `size` on graphs of thousands of channels take minutes.
      Cycle lo = 1, hi = unbounded_depth;  // hi is known to be as fast
      for (Cycle probe = 1; probe<unbounded_depth; probe = probe> unbounded_depth / 2
                                ? unbounded_depth
                                : probe * 2) {
        graph.channel(c).timing.depth = probe;
        if (as_fast(engine, graph, out.unbounded_cycles)) {
          hi = probe;
          break;
        }
        lo = probe + 1;
      }
      while (lo < hi) {
        const Cycle mid = lo + (hi - lo) / 2;
        graph.channel(c).timing.depth = mid;
        if (as_fast(engine, graph, out.unbounded_cycles))
          hi = mid;
        else
          lo = mid + 1;
      }
      graph.channel(c).timing.depth = unbounded_depth;
      out.channels.push_back({graph.channel(c).name, hi});
      out.total_depth += hi;
      if (on_channel) on_channel(c + 1, n);
    }
    for (int c = 0; c < n; ++c) graph.channel(c).timing.depth = out.channels[c].depth;
    RunResult combined = engine.run(graph);
    out.combined_cycles = combined.cycles;
    out.combined_status = combined.status;
  } catch (...) {
    for (int c = 0; c < n; ++c) graph.channel(c).timing.depth = original[c];
    throw;
  }
  for (int c = 0; c < n; ++c) graph.channel(c).timing.depth = original[c];
  return out;
}

}  // namespace streamsim
