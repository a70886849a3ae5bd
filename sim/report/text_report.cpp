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
}  // namespace

std::string text_report(const Graph& graph, const RunResult& result, const ReportContext& context) {
  RunSummary s = summarize(graph, result);
  std::ostringstream os;
  TextTable head({"", ""});
  if (!context.config.empty()) head.add({"config", context.config});
  if (!context.params.empty()) {
    std::string p;
    for (auto it = context.params.begin(); it != context.params.end(); ++it)
      p += (p.empty() ? "" : " ") + it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
    head.add({"params", p});
  }
  head.add({"engine", result.engine});
  head.add({"status", run_status_name(result.status)});
  head.add({"cycles", std::to_string(result.cycles)});
  head.add({"tokens out", std::to_string(s.tokens_out) + "  (transfers into sink units)"});
  head.add({"throughput", fixed(s.throughput, 4) + " tokens/cycle"});
  head.add({"buffer", std::to_string(s.total_buffer) + " slots at peak (sum of peak occupancy; " +
                          std::to_string(s.allocated_buffer) + " allocated)"});
  head.add({"transfers", std::to_string(result.transfers) + "  (elements dequeued, all channels)"});
  for (const SinkCheck& c : sink_checks(result)) {
    std::string line = c.passed() ? "passed: " : "FAILED: ";
    line += "sink '" + c.unit + "' got " + std::to_string(c.received) + " of " + std::to_string(c.expected) +
            " expected values";
    if (!c.passed())
      line += ", " + std::to_string(c.mismatches) + " mismatches (first at value " + std::to_string(c.first_mismatch) + ")";
    line += ", max error " + short_number(c.max_abs_error);
    head.add({"check", line});
  }
  head.add({"wall time", fixed(result.wall_seconds, 3) + " s  (" + si_rate(s.transfers_per_second) +
                             " transfers simulated)"});
  // The head is a key/value list: both columns left-aligned, no header row.
  std::string h = head.render(2, "");
  os << h.substr(h.find('\n') + 1) << "\n";

  TextTable units({"unit", "type", "busy", "firings", "final clock", "util"});
  for (std::size_t u = 0; u < result.units.size(); ++u) {
    const UnitStats& us = result.units[u];
    units.add({us.name, us.type, std::to_string(us.busy_cycles), std::to_string(us.firings),
               std::to_string(us.final_clock), percent(s.utilization[u])});
  }
  os << units.render(2) << "\n";

  TextTable channels({"channel", "depth", "peak", "transfers", "left over"});
  for (const ChannelStats& c : result.channels)
    channels.add({c.name, std::to_string(c.depth), std::to_string(c.peak_occupancy), std::to_string(c.transfers),
                  std::to_string(c.left_over)});
  os << channels.render(1);
  return os.str();
}

}  // namespace streamsim
