#include "sim/report/report.h"
#include "sim/report/run_summary.h"
#include "sim/report/sink_checks.h"

namespace streamsim {

namespace {

nlohmann::json deadlock_json(const Deadlock& d) {
  nlohmann::json blocked = nlohmann::json::array();
  for (const BlockedUnit& b : d.blocked)
    blocked.push_back({{"unit", b.unit},
                       {"channel", b.channel},
                       {"waits_for", b.waits_for_data ? "data" : "space"},
                       {"depth", b.depth},
                       {"occupancy", b.occupancy},
                       {"state", b.state}});
  return {{"cycle", d.cycle},
          {"blocked", blocked},
          {"wait_cycle", d.wait_cycle},
          {"explanation", d.explain()}};
}

}  // namespace

nlohmann::json json_report(const Graph& graph, const RunResult& result,
                           const ReportContext& context) {
  RunSummary s = summarize(graph, result);
  nlohmann::json j;
  j["schema_version"] = kJsonReportSchemaVersion;
  j["streamsim_version"] = STREAMSIM_VERSION;
  j["config"] = context.config;
  j["params"] = context.params;
  j["engine"] = result.engine;
  j["status"] = run_status_name(result.status);
  j["cycles"] = result.cycles;
  j["tokens_out"] = s.tokens_out;
  j["throughput"] = s.throughput;
  j["transfers"] = result.transfers;
  j["replayed_firings"] = result.replayed_firings;
  j["batched_firings"] = result.batched_firings;
  j["total_buffer"] = s.total_buffer;
  j["allocated_buffer"] = s.allocated_buffer;
  j["wall_seconds"] = result.wall_seconds;
  j["transfers_per_second"] = s.transfers_per_second;

  nlohmann::json units = nlohmann::json::array();
  for (std::size_t u = 0; u < result.units.size(); ++u) {
    const UnitStats& us = result.units[u];
    units.push_back({{"name", us.name},
                     {"type", us.type},
                     {"busy_cycles", us.busy_cycles},
                     {"firings", us.firings},
                     {"final_clock", us.final_clock},
                     {"stalled_input_cycles", us.stalled_input_cycles},
                     {"stalled_output_cycles", us.stalled_output_cycles},
                     {"idle_cycles", us.idle_cycles},
                     {"utilization", s.utilization[u]}});
  }
  j["units"] = units;

  nlohmann::json channels = nlohmann::json::array();
  for (std::size_t c = 0; c < result.channels.size(); ++c) {
    const ChannelStats& cs = result.channels[c];
    nlohmann::json ch = {{"name", cs.name},
                         {"depth", cs.depth},
                         {"peak_occupancy", cs.peak_occupancy},
                         {"transfers", cs.transfers},
                         {"left_over", cs.left_over},
                         {"producer_stall_cycles", cs.producer_stall_cycles},
                         {"consumer_stall_cycles", cs.consumer_stall_cycles}};
    if (static_cast<int>(c) < graph.channel_count()) {
      const ChannelSpec& spec = graph.channel(static_cast<int>(c));
      ch["from"] =
          graph.unit(spec.src).name + "." + graph.unit(spec.src).outputs[spec.src_port].name;
      ch["to"] = graph.unit(spec.dst).name + "." + graph.unit(spec.dst).inputs[spec.dst_port].name;
      ch["latency"] = spec.timing.latency;
      ch["response_latency"] = spec.timing.response_latency;
    }
    channels.push_back(ch);
  }
  j["channels"] = channels;
  nlohmann::json checks = nlohmann::json::array();
  bool all_passed = true;
  for (const SinkCheck& c : sink_checks(result)) {
    all_passed = all_passed && c.passed();
    checks.push_back({{"unit", c.unit},
                      {"passed", c.passed()},
                      {"expected", c.expected},
                      {"received", c.received},
                      {"mismatches", c.mismatches},
                      {"max_abs_error", c.max_abs_error},
                      {"first_mismatch", c.first_mismatch}});
  }
  j["checks"] = checks;
  j["check"] = checks.empty() ? "none" : all_passed ? "passed" : "failed";
  if (result.status == RunStatus::Deadlock) j["deadlock"] = deadlock_json(result.deadlock);
  return j;
}

}  // namespace streamsim
