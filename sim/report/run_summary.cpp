#include "sim/report/run_summary.h"

namespace streamsim {

RunSummary summarize(const Graph& graph, const RunResult& result) {
  RunSummary s;
  for (std::size_t c = 0; c < result.channels.size(); ++c) {
    const ChannelStats& cs = result.channels[c];
    s.total_buffer += cs.peak_occupancy;
    s.allocated_buffer += static_cast<std::uint64_t>(cs.depth);
    if (static_cast<int>(c) < graph.channel_count() &&
        graph.unit(graph.channel(static_cast<int>(c)).dst).outputs.empty())
      s.tokens_out += cs.transfers;
  }
  if (result.cycles > 0)
    s.throughput = static_cast<double>(s.tokens_out) / static_cast<double>(result.cycles);
  if (result.wall_seconds > 0)
    s.transfers_per_second = static_cast<double>(result.transfers) / result.wall_seconds;
  for (const UnitStats& u : result.units)
    s.utilization.push_back(result.cycles > 0 ? static_cast<double>(u.busy_cycles) /
                                                    static_cast<double>(result.cycles)
                                              : 0.0);
  return s;
}

const ChannelStats* most_back_pressure(const RunResult& result) {
  const ChannelStats* worst = nullptr;
  for (const ChannelStats& c : result.channels)
    if (c.producer_stall_cycles > 0 &&
        (!worst || c.producer_stall_cycles > worst->producer_stall_cycles))
      worst = &c;
  return worst;
}

}  // namespace streamsim
