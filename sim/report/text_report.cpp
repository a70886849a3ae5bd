#include <algorithm>
#include <cstdio>
#include <sstream>

#include "sim/report/report.h"
#include "sim/report/run_summary.h"
#include "sim/report/sink_checks.h"
#include "sim/report/text_table.h"

namespace streamsim {

namespace {
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}
// Follows back-pressure to where it starts and says whether depth is the cure. Starting from
// the FIFO whose producer waited longest, while that FIFO's consumer was itself held back by
// a full output for at least half as long, the cause is further downstream: move to the
// consumer's most back-pressured output. At the end, a consumer that mostly waited on its other
// inputs while this FIFO was full is starved by an imbalance (a fork-join whose short branch is
// too shallow): depth helps. A consumer that was simply busy is the bottleneck: depth does not.
std::string back_pressure_hint(const Graph& graph, const RunResult& result) {
  const ChannelStats* worst = most_back_pressure(result);
  if (!worst || result.channels.size() != static_cast<std::size_t>(graph.channel_count()) ||
      result.units.size() != static_cast<std::size_t>(graph.unit_count()))
    return "";
  auto index_of = [&](const ChannelStats* c) {
    return static_cast<int>(c - result.channels.data());
  };
  for (int step = 0; step < graph.channel_count(); ++step) {
    const UnitStats& consumer = result.units[graph.channel(index_of(worst)).dst];
    if (2 * consumer.stalled_output_cycles < worst->producer_stall_cycles) break;
    const ChannelStats* next = nullptr;
    for (int c = 0; c < graph.channel_count(); ++c)
      if (graph.channel(c).src == graph.channel(index_of(worst)).dst &&
          (!next || result.channels[c].producer_stall_cycles > next->producer_stall_cycles))
        next = &result.channels[c];
    if (!next || next->producer_stall_cycles == 0) break;
    worst = next;
  }
  const double cycles = static_cast<double>(std::max<Cycle>(result.cycles, 1));
  const UnitStats& consumer = result.units[graph.channel(index_of(worst)).dst];
  std::string text = "back-pressure starts at channel '" + worst->name + "' (depth " +
                     std::to_string(worst->depth) + "): its producer waited " +
                     std::to_string(worst->producer_stall_cycles) + " cycles (" +
                     percent(static_cast<double>(worst->producer_stall_cycles) / cycles) +
                     " of the run)";
  if (2 * consumer.stalled_input_cycles >= worst->producer_stall_cycles)
    text += " while its consumer '" + consumer.name + "' waited " +
            std::to_string(consumer.stalled_input_cycles) +
            " cycles for its inputs: a deeper FIFO there should help (`streamsim size` finds "
            "sufficient depths)";
  else
    text += "; its consumer '" + consumer.name + "' is busy " +
            percent(static_cast<double>(consumer.busy_cycles) / cycles) +
            " of the run: it is the bottleneck, a deeper FIFO will not help";
  return text + "\n";
}

}  // namespace

std::string text_report(const Graph& graph, const RunResult& result, const ReportContext& context) {
  RunSummary s = summarize(graph, result);
  std::ostringstream os;
  TextTable head({"", ""});
  if (!context.config.empty()) head.add({"config", context.config});
  if (!context.params.empty()) {
    std::string p;
    for (auto it = context.params.begin(); it != context.params.end(); ++it)
      p += (p.empty() ? "" : " ") + it.key() + "=" +
           (it->is_string() ? it->get<std::string>() : it->dump());
    head.add({"params", p});
  }
  std::string engine = result.engine;
  if (result.replayed_firings > 0) {
    std::uint64_t firings = 0;
    for (const UnitStats& u : result.units) firings += u.firings;
    auto percent = [&](std::uint64_t part) {
      return fixed(100.0 * static_cast<double>(part) /
                       static_cast<double>(std::max<std::uint64_t>(firings, 1)),
                   1) +
             "%";
    };
    engine +=
        "  (" + percent(result.replayed_firings) + " of firings replayed: the timing repeated";
    if (result.batched_firings > 0)
      engine += "; " + percent(result.batched_firings) + " in batches";
    engine += ")";
  }
  head.add({"engine", engine});
  head.add({"status", run_status_name(result.status)});
  head.add({"cycles", std::to_string(result.cycles)});
  head.add({"tokens out", std::to_string(s.tokens_out) + "  (transfers into sink units)"});
  head.add({"throughput", fixed(s.throughput, 4) + " tokens/cycle"});
  head.add({"buffer", std::to_string(s.total_buffer) + " slots at peak (sum of peak occupancy; " +
                          std::to_string(s.allocated_buffer) + " allocated)"});
  head.add({"transfers", std::to_string(result.transfers) + "  (elements dequeued, all channels)"});
  for (const SinkCheck& c : sink_checks(result)) {
    std::string line = c.passed() ? "passed: " : "FAILED: ";
    line += "sink '" + c.unit + "' got " + std::to_string(c.received) + " of " +
            std::to_string(c.expected) + " expected values";
    if (!c.passed())
      line += ", " + std::to_string(c.mismatches) + " mismatches (first at value " +
              std::to_string(c.first_mismatch) + ")";
    line += ", max error " + short_number(c.max_abs_error);
    head.add({"check", line});
  }
  head.add({"wall time", fixed(result.wall_seconds, 3) + " s  (" + si_rate(s.transfers_per_second) +
                             " transfers simulated)"});
  // The head is a key/value list: both columns left-aligned, no header row.
  std::string h = head.render(2, "");
  os << h.substr(h.find('\n') + 1) << "\n";

  // Where each unit's cycles went: busy + stalled on input + stalled on output + idle = cycles.
  TextTable units({"unit", "type", "firings", "busy", "stall in", "stall out", "idle", "util"});
  for (std::size_t u = 0; u < result.units.size(); ++u) {
    const UnitStats& us = result.units[u];
    units.add({us.name, us.type, std::to_string(us.firings), std::to_string(us.busy_cycles),
               std::to_string(us.stalled_input_cycles), std::to_string(us.stalled_output_cycles),
               std::to_string(us.idle_cycles), percent(s.utilization[u])});
  }
  os << units.render(2) << "\n";

  // "full" is back-pressure on the producer, "empty" the consumer waiting for data.
  TextTable channels({"channel", "depth", "peak", "transfers", "left over", "full", "empty"});
  for (const ChannelStats& c : result.channels)
    channels.add({c.name, std::to_string(c.depth), std::to_string(c.peak_occupancy),
                  std::to_string(c.transfers), std::to_string(c.left_over),
                  std::to_string(c.producer_stall_cycles),
                  std::to_string(c.consumer_stall_cycles)});
  os << channels.render(1);
  os << back_pressure_hint(graph, result);
  return os.str();
}

}  // namespace streamsim
