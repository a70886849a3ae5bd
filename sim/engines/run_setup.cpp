#include "sim/engines/run_setup.h"

namespace streamsim {

RunSetup::RunSetup(const Graph& g) : graph(g) {
  graph.validate();
  for (int u = 0; u < graph.unit_count(); ++u) units.push_back(graph.unit(u).make());
  for (int c = 0; c < graph.channel_count(); ++c) {
    const ChannelSpec& spec = graph.channel(c);
    int width = graph.unit(spec.src).outputs[spec.src_port].width;
    auto state = std::make_unique<ChannelState>(spec.timing, width);
    for (std::size_t i = 0; i + width <= spec.initial.size(); i += width) state->push_initial(&spec.initial[i]);
    channels.push_back(std::move(state));
  }
}

void RunSetup::finish(RunResult& result) {
  result.transfers = 0;
  for (int c = 0; c < graph.channel_count(); ++c) {
    ChannelState& s = *channels[c];
    s.finish_stats();
    ChannelStats cs;
    cs.name = graph.channel(c).name;
    cs.depth = graph.channel(c).timing.depth;
    cs.peak_occupancy = s.peak_occupancy();
    cs.transfers = s.received();
    cs.left_over = s.occupancy();
    result.transfers += cs.transfers;
    result.channels.push_back(cs);
  }
  for (auto& u : units) u->finish();
  result.unit_objects = std::move(units);
}

}  // namespace streamsim
