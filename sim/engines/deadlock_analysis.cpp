#include "sim/engines/deadlock_analysis.h"

namespace streamsim {

Deadlock analyse_deadlock(const Graph& graph, const std::vector<BlockInfo>& blocks,
                          const std::vector<const ChannelState*>& states,
                          const std::vector<std::unique_ptr<Unit>>& units, Cycle cycle) {
  Deadlock d;
  d.cycle = cycle;
  std::vector<int> waits_for(blocks.size(), -1);
  for (std::size_t u = 0; u < blocks.size(); ++u) {
    const BlockInfo& b = blocks[u];
    if (b.channel < 0) continue;
    const ChannelSpec& ch = graph.channel(b.channel);
    BlockedUnit bu;
    bu.unit = graph.unit(static_cast<int>(u)).name;
    bu.channel = ch.name;
    bu.waits_for_data = b.on_input;
    bu.depth = ch.timing.depth;
    bu.occupancy = states[b.channel]->occupancy();
    if (units[u]) bu.state = units[u]->describe_state();
    d.blocked.push_back(bu);
    waits_for[u] = b.on_input ? ch.src : ch.dst;
  }
  // Follow the wait-for edges from each blocked unit until a unit repeats.
  for (std::size_t start = 0; start < blocks.size() && d.wait_cycle.empty(); ++start) {
    if (waits_for[start] < 0) continue;
    std::vector<int> seen_at(blocks.size(), -1);
    std::vector<int> path;
    int u = static_cast<int>(start);
    while (u >= 0 && seen_at[u] < 0) {
      seen_at[u] = static_cast<int>(path.size());
      path.push_back(u);
      u = waits_for[u];
    }
    if (u < 0) continue;
    for (std::size_t i = static_cast<std::size_t>(seen_at[u]); i < path.size(); ++i)
      d.wait_cycle.push_back(graph.unit(path[i]).name);
    d.wait_cycle.push_back(graph.unit(u).name);
  }
  return d;
}

}  // namespace streamsim
