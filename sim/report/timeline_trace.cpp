// The timeline writer: Chrome trace-event JSON (the format Perfetto and chrome://tracing
// open). Units are the threads of process 1, each span a complete ("X") event; FIFO
// occupancies are counters ("C") of process 2. 1 us of trace time = 1 cycle.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/report/run_trace.h"

namespace streamsim {

namespace {

// Merges spans shorter than `min_len` into the span before them (the first span absorbs a
// short one after it), so that at most about total length / min_len spans remain. The merged
// span keeps its activity; `absorbed` counts the cycles it took from other activities.
struct MergedSpan {
  ActivitySpan span;
  Cycle absorbed = 0;
};

std::vector<MergedSpan> merge_short(const std::vector<ActivitySpan>& spans, Cycle min_len) {
  std::vector<MergedSpan> out;
  for (const ActivitySpan& s : spans) {
    const Cycle len = s.to - s.from;
    if (!out.empty() && (len < min_len || (out.back().span.what == s.what &&
                                           out.back().span.channel == s.channel))) {
      out.back().span.to = s.to;
      if (out.back().span.what != s.what) out.back().absorbed += len;
      continue;
    }
    out.push_back(MergedSpan{s, 0});
  }
  return out;
}

// Occupancy per bin of `bin` cycles: the maximum in each bin (from the value at its start and
// every step in it); where the value at the bin's end differs, a step back to it. A step only
// where the value changes.
std::vector<OccupancyStep> bin_max(const std::vector<OccupancyStep>& steps, Cycle begin,
                                   Cycle bin) {
  if (bin <= 1) return steps;
  std::vector<OccupancyStep> out;
  auto push = [&](Cycle at, std::uint64_t v) {
    if (!out.empty() && out.back().at == at) {
      out.back().occupancy = v;
      if (out.size() >= 2 && out[out.size() - 2].occupancy == v) out.pop_back();
    } else if (out.empty() || out.back().occupancy != v) {
      out.push_back(OccupancyStep{at, v});
    }
  };
  std::uint64_t carried = 0;
  std::size_t i = 0;
  while (i < steps.size()) {
    const Cycle start = begin + (steps[i].at - begin) / bin * bin;
    std::uint64_t peak = steps[i].at > start ? carried : steps[i].occupancy;
    for (; i < steps.size() && steps[i].at < start + bin; ++i) {
      peak = std::max(peak, steps[i].occupancy);
      carried = steps[i].occupancy;
    }
    push(start, peak);
    if (carried != peak) push(start + bin, carried);
  }
  return out;
}

}  // namespace

std::string timeline_json(const Graph& graph, const RunTrace& trace, std::uint64_t max_events) {
  const int units = graph.unit_count(), channels = graph.channel_count();
  std::vector<std::vector<ActivitySpan>> activity(static_cast<std::size_t>(units));
  std::vector<std::vector<OccupancyStep>> occupancy(static_cast<std::size_t>(channels));
  std::uint64_t span_count = 0, step_count = 0;
  for (int u = 0; u < units; ++u) span_count += (activity[u] = trace.unit_activity(u)).size();
  for (int c = 0; c < channels; ++c) step_count += (occupancy[c] = trace.occupancy(c)).size();

  // Half the budget each for spans and counters; double the merge threshold / bin until each fits.
  const std::uint64_t budget = std::max<std::uint64_t>(max_events / 2, 1);
  Cycle min_len = 1, bin = 1;
  std::vector<std::vector<MergedSpan>> merged(static_cast<std::size_t>(units));
  for (;;) {
    std::uint64_t n = 0;
    for (int u = 0; u < units; ++u) n += (merged[u] = merge_short(activity[u], min_len)).size();
    if (n <= budget || min_len > trace.end() - trace.begin()) break;
    min_len *= 2;
  }
  std::vector<std::vector<OccupancyStep>> binned(static_cast<std::size_t>(channels));
  for (;;) {
    std::uint64_t n = 0;
    for (int c = 0; c < channels; ++c)
      n += (binned[c] = bin_max(occupancy[c], trace.begin(), bin)).size();
    if (n <= budget || bin > trace.end() - trace.begin()) break;
    bin *= 2;
  }

  nlohmann::json events = nlohmann::json::array();
  events.push_back(
      {{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"args", {{"name", "units"}}}});
  events.push_back(
      {{"name", "process_name"}, {"ph", "M"}, {"pid", 2}, {"args", {{"name", "FIFO occupancy"}}}});
  for (int u = 0; u < units; ++u) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", u},
                      {"args", {{"name", graph.unit(u).name}}}});
    events.push_back({{"name", "thread_sort_index"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", u},
                      {"args", {{"sort_index", u}}}});
    for (const MergedSpan& m : merged[u]) {
      nlohmann::json e = {{"name", activity_name(m.span.what)},
                          {"cat", "unit"},
                          {"ph", "X"},
                          {"pid", 1},
                          {"tid", u},
                          {"ts", m.span.from},
                          {"dur", m.span.to - m.span.from}};
      nlohmann::json args = nlohmann::json::object();
      if (m.span.channel >= 0) args["channel"] = graph.channel(m.span.channel).name;
      if (m.absorbed > 0) args["merged_cycles_of_other_activity"] = m.absorbed;
      if (!args.empty()) e["args"] = args;
      events.push_back(std::move(e));
    }
  }
  for (int c = 0; c < channels; ++c)
    for (const OccupancyStep& s : binned[c])
      events.push_back({{"name", graph.channel(c).name},
                        {"ph", "C"},
                        {"pid", 2},
                        {"ts", s.at},
                        {"args", {{"occupancy", s.occupancy}}}});

  nlohmann::json doc;
  doc["traceEvents"] = std::move(events);
  // No displayTimeUnit: its "ns" would show one cycle (1 us of trace time) as 1000 ns; the
  // default shows microseconds, i.e. cycles.
  doc["otherData"] = {{"generator", std::string("streamsim ") + STREAMSIM_VERSION},
                      {"time_unit", "1 us of trace time = 1 cycle"},
                      {"first_cycle", trace.begin()},
                      {"end_cycle", trace.end()},
                      {"truncated", trace.truncated()},
                      {"spans_merged_below_cycles", min_len},
                      {"occupancy_bin_cycles", bin}};
  return doc.dump() + "\n";
}

}  // namespace streamsim
