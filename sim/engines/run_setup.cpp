#include "sim/engines/run_setup.h"

#include <algorithm>

#include "sim/engines/run_limits.h"

namespace streamsim {

RunSetup::RunSetup(const Graph& g, const RunOptions& options) : graph(g) {
  TraceRecorder* const trace = options.trace;
  // Between steps that may take long in a large graph: a stop request ends the setup.
  auto poll = [&options] {
    if (options.monitor && options.monitor->stop_requested()) throw RunSetupInterrupted();
  };
  poll();
  graph.validate();
  horizon = run_horizon(options);
  check_run_memory(graph);  // before any channel is allocated
  units.reserve(static_cast<std::size_t>(graph.unit_count()));
  for (int u = 0; u < graph.unit_count(); ++u) {
    poll();
    units.push_back(graph.unit(u).make());
  }
  delays = delay_sum(graph, units);
  resolve_forwarded_references();
  for (int c = 0; c < graph.channel_count(); ++c) {
    poll();
    const ChannelSpec& spec = graph.channel(c);
    const int width = graph.unit(spec.src).outputs[spec.src_port].width;
    // The unit object that will send decides whether its tokens are references.
    const bool by_reference = units[spec.src]->outputs()[spec.src_port].by_reference;
    auto state = std::make_unique<ChannelState>(spec.timing, width, by_reference);
    if (trace) state->attach_trace(trace, c);  // before the initial tokens: they are sends at 0
    for (std::size_t i = 0; i + width <= spec.initial.size(); i += width)
      state->push_initial(&spec.initial[i]);
    channels.push_back(std::move(state));
  }
}

// A forwarding output (Port::forwards_reference_of) is by reference when the channel into the
// input it forwards comes from a by-reference port, which may itself be forwarding: repeated
// until nothing changes. A port only ever follows its producer, and ports become by reference
// only from declared ones, so this ends within (number of units + 1) passes.
void RunSetup::resolve_forwarded_references() {
  for (bool changed = true; changed;) {
    changed = false;
    for (int c = 0; c < graph.channel_count(); ++c) {
      const ChannelSpec& spec = graph.channel(c);
      Unit& consumer = *units[spec.dst];
      const bool incoming = units[spec.src]->outputs()[spec.src_port].by_reference;
      for (std::size_t q = 0; q < consumer.outputs().size(); ++q) {
        const Port& out = consumer.outputs()[q];
        if (out.forwards_reference_of != spec.dst_port || out.by_reference == incoming) continue;
        consumer.resolve_forwarded_reference(static_cast<int>(q), incoming);
        changed = true;
      }
    }
  }
}

// Each channel has one producer and one consumer, so a unit's stalls are the sums of the
// channels' stalls at its ends. Called after the engine filled result.units and, on a
// deadlock, result.deadlock.
void RunSetup::account_unit_cycles(RunResult& result) const {
  // A unit blocked in a deadlock waits on its channel for the rest of the run.
  auto rest_of_run = [&](const UnitStats& u) {
    return result.cycles > u.final_clock ? result.cycles - u.final_clock : 0;
  };
  if (result.status == RunStatus::Deadlock) {
    for (const BlockedUnit& b : result.deadlock.blocked) {
      auto unit = std::find_if(result.units.begin(), result.units.end(),
                               [&](const UnitStats& u) { return u.name == b.unit; });
      auto channel = std::find_if(result.channels.begin(), result.channels.end(),
                                  [&](const ChannelStats& c) { return c.name == b.channel; });
      if (unit == result.units.end() || channel == result.channels.end()) continue;
      (b.waits_for_data ? channel->consumer_stall_cycles : channel->producer_stall_cycles) +=
          rest_of_run(*unit);
    }
  }
  for (int c = 0; c < graph.channel_count() && c < static_cast<int>(result.channels.size()); ++c) {
    const ChannelSpec& spec = graph.channel(c);
    if (spec.src < static_cast<int>(result.units.size()))
      result.units[spec.src].stalled_output_cycles += result.channels[c].producer_stall_cycles;
    if (spec.dst < static_cast<int>(result.units.size()))
      result.units[spec.dst].stalled_input_cycles += result.channels[c].consumer_stall_cycles;
  }
  for (UnitStats& u : result.units) {
    const Cycle accounted = u.busy_cycles + u.stalled_input_cycles + u.stalled_output_cycles;
    u.idle_cycles = result.cycles > accounted ? result.cycles - accounted : 0;
  }
}

RunProgress RunSetup::progress(Cycle cycle) const {
  RunProgress p;
  p.cycle = cycle;
  for (const auto& c : channels) p.transfers += c->received();
  for (const auto& u : units) {
    std::uint64_t done = 0, total = 0;
    if (u->work_progress(done, total)) {
      p.work_done += done;
      p.work_total += total;
    }
  }
  return p;
}

void RunSetup::finish(RunResult& result) {
  result.transfers = 0;
  for (int c = 0; c < graph.channel_count(); ++c) {
    ChannelState& s = *channels[c];
    const bool stopped_early =
        result.status == RunStatus::Interrupted || result.status == RunStatus::MaxCycles;
    const std::size_t consumer = static_cast<std::size_t>(graph.channel(c).dst);
    if (stopped_early && consumer < result.units.size())
      s.finish_stats(result.units[consumer].final_clock);
    else
      s.finish_stats();
    ChannelStats cs;
    cs.name = graph.channel(c).name;
    cs.depth = graph.channel(c).timing.depth;
    cs.peak_occupancy = s.peak_occupancy();
    cs.transfers = s.received();
    cs.left_over = s.occupancy();
    cs.producer_stall_cycles = s.producer_stall();
    cs.consumer_stall_cycles = s.consumer_stall();
    result.transfers += cs.transfers;
    result.channels.push_back(cs);
  }
  account_unit_cycles(result);
  for (auto& u : units) u->finish();
  result.unit_objects = std::move(units);
}

}  // namespace streamsim
