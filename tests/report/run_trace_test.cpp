// The trace (--trace VCD, --timeline JSON) against the run's own statistics, which the engines
// compute another way (per-channel wait counters): every unit's spans add up to its busy,
// stall and idle cycles, every FIFO's occupancy peaks at its peak occupancy. Windows and the
// event budget cut the trace without changing what it shows.
#include "sim/report/run_trace.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/config/loader.h"
#include "sim/engines/engine.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

Graph fork_join(const std::string& short_depth) {
  LoadOptions o;
  o.overrides = {{"short_depth", short_depth}, {"groups", "20"}};
  return load_config_file(STREAMSIM_SOURCE_DIR "/configs/fork_join.yaml", o).graph;
}

Graph slow_pipeline() {
  LoadOptions o;
  o.overrides = {{"tokens", "2000"}, {"ii", "3"}};
  return load_config_file(STREAMSIM_SOURCE_DIR "/configs/pipeline.yaml", o).graph;
}

struct Traced {
  RunResult result;
  std::unique_ptr<TraceRecorder> recorder;
};

Traced traced_run(const std::string& engine, const Graph& g, TraceWindow w = {}) {
  Traced t;
  t.recorder = std::make_unique<TraceRecorder>(make_trace_recorder(g, w));
  RunOptions o;
  o.trace = t.recorder.get();
  t.result = make_engine(engine)->run(g, o);
  return t;
}

std::map<Activity, Cycle> totals(const std::vector<ActivitySpan>& spans) {
  std::map<Activity, Cycle> m;
  for (const ActivitySpan& s : spans) m[s.what] += s.to - s.from;
  return m;
}

class RunTraceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RunTraceTest, SpansAndOccupancyAgreeWithTheRunStatistics) {
  for (const Graph& g : {slow_pipeline(), fork_join("70"), fork_join("40")}) {
    const Traced t = traced_run(GetParam(), g);
    const RunTrace trace(g, t.result, *t.recorder);
    EXPECT_EQ(trace.begin(), 0);
    EXPECT_EQ(trace.end(), t.result.cycles);
    EXPECT_FALSE(trace.truncated());
    for (int u = 0; u < g.unit_count(); ++u) {
      const UnitStats& s = t.result.units[u];
      SCOPED_TRACE(s.name + " (" + run_status_name(t.result.status) + ")");
      const std::vector<ActivitySpan> spans = trace.unit_activity(u);
      ASSERT_FALSE(spans.empty());
      EXPECT_EQ(spans.front().from, 0);
      EXPECT_EQ(spans.back().to, t.result.cycles);
      for (std::size_t i = 1; i < spans.size(); ++i) EXPECT_EQ(spans[i].from, spans[i - 1].to);
      std::map<Activity, Cycle> m = totals(spans);
      EXPECT_EQ(m[Activity::Busy], s.busy_cycles);
      EXPECT_EQ(m[Activity::StalledInput], s.stalled_input_cycles);
      EXPECT_EQ(m[Activity::StalledOutput], s.stalled_output_cycles);
      EXPECT_EQ(m[Activity::Idle], s.idle_cycles);
    }
    for (int c = 0; c < g.channel_count(); ++c) {
      const std::vector<OccupancyStep> steps = trace.occupancy(c);
      std::uint64_t peak = 0;
      for (const OccupancyStep& s : steps) peak = std::max(peak, s.occupancy);
      EXPECT_EQ(peak, t.result.channels[c].peak_occupancy) << t.result.channels[c].name;
      EXPECT_EQ(steps.back().occupancy, t.result.channels[c].left_over)
          << t.result.channels[c].name;
    }
  }
}

// The part of the trace inside [from, to) of the whole-run trace.
std::vector<ActivitySpan> clip(std::vector<ActivitySpan> spans, Cycle from, Cycle to) {
  std::vector<ActivitySpan> out;
  for (ActivitySpan s : spans) {
    s.from = std::max(s.from, from);
    s.to = std::min(s.to, to);
    if (s.from < s.to) out.push_back(s);
  }
  return out;
}

bool same(const std::vector<ActivitySpan>& a, const std::vector<ActivitySpan>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].from != b[i].from || a[i].to != b[i].to || a[i].what != b[i].what ||
        a[i].channel != b[i].channel)
      return false;
  return true;
}

std::uint64_t occupancy_at(const std::vector<OccupancyStep>& steps, Cycle t) {
  std::uint64_t v = 0;
  for (const OccupancyStep& s : steps)
    if (s.at <= t) v = s.occupancy;
  return v;
}

TEST_P(RunTraceTest, AWindowAndARunOutBudgetShowExactlyThatPartOfTheRun) {
  const Graph g = fork_join("70");
  const Traced full = traced_run(GetParam(), g);
  const RunTrace whole(g, full.result, *full.recorder);

  TraceWindow w;
  w.from = 500;
  w.to = 1000;
  const Traced windowed = traced_run(GetParam(), g, w);
  const RunTrace part(g, windowed.result, *windowed.recorder);
  EXPECT_EQ(part.begin(), 500);
  EXPECT_EQ(part.end(), 1000);

  TraceWindow small;
  small.max_events = 3000;
  const Traced limited = traced_run(GetParam(), g, small);
  const RunTrace cut(g, limited.result, *limited.recorder);
  EXPECT_TRUE(cut.truncated());
  EXPECT_GT(cut.end(), 0);
  EXPECT_LT(cut.end(), full.result.cycles);
  EXPECT_LE(limited.recorder->events(), 3000u);

  for (int u = 0; u < g.unit_count(); ++u) {
    SCOPED_TRACE(g.unit(u).name);
    EXPECT_TRUE(same(part.unit_activity(u), clip(whole.unit_activity(u), 500, 1000)));
    EXPECT_TRUE(same(cut.unit_activity(u), clip(whole.unit_activity(u), 0, cut.end())));
  }
  for (int c = 0; c < g.channel_count(); ++c) {
    SCOPED_TRACE(g.channel(c).name);
    for (Cycle t : {500, 501, 600, 750, 999})
      EXPECT_EQ(occupancy_at(part.occupancy(c), t), occupancy_at(whole.occupancy(c), t));
    for (Cycle t = 0; t < cut.end(); t += 7)
      EXPECT_EQ(occupancy_at(cut.occupancy(c), t), occupancy_at(whole.occupancy(c), t));
  }
}

INSTANTIATE_TEST_SUITE_P(BothEngines, RunTraceTest, ::testing::Values("fast", "systemc"),
                         [](const auto& info) { return info.param; });

// Reads the VCD back with a few lines of parsing (independent of the writer): the time each
// unit's wires are 1 equals its busy/stall cycles; each FIFO's largest value is its peak.
TEST(VcdTrace, ReadBackGivesTheRunStatistics) {
  const Graph g = fork_join("70");
  const Traced t = traced_run("fast", g);
  const std::string vcd = vcd_trace(g, RunTrace(g, t.result, *t.recorder));
  std::istringstream in(vcd);
  std::map<std::string, std::string> name_of;  // id -> scope.var
  std::vector<std::string> scope;
  std::string line;
  while (std::getline(in, line) && line.rfind("$enddefinitions", 0) != 0) {
    std::istringstream ls(line);
    std::string kw, a, b, id, name;
    ls >> kw;
    if (kw == "$scope") {
      ls >> a >> b;
      scope.push_back(b);
    } else if (kw == "$upscope") {
      scope.pop_back();
    } else if (kw == "$var") {
      ls >> a >> b >> id >> name;
      name_of[id] = scope.back() + "." + name;
    }
  }
  EXPECT_EQ(name_of.size(), static_cast<std::size_t>(3 * g.unit_count() + g.channel_count()));
  std::map<std::string, std::uint64_t> value, peak;
  std::map<std::string, Cycle> high;
  Cycle now = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '$') continue;
    if (line[0] == '#') {
      const Cycle t2 = std::stoll(line.substr(1));
      EXPECT_GE(t2, now);
      for (const auto& [name, v] : value)
        if (name.find("fifos.") != 0) high[name] += static_cast<Cycle>(v) * (t2 - now);
      now = t2;
      continue;
    }
    std::string id;
    std::uint64_t v;
    if (line[0] == 'b') {
      const auto space = line.find(' ');
      v = std::stoull(line.substr(1, space - 1), nullptr, 2);
      id = line.substr(space + 1);
    } else {
      v = static_cast<std::uint64_t>(line[0] - '0');
      id = line.substr(1);
    }
    ASSERT_TRUE(name_of.count(id)) << line;
    value[name_of[id]] = v;
    peak[name_of[id]] = std::max(peak[name_of[id]], v);
  }
  EXPECT_EQ(now, t.result.cycles);
  for (const UnitStats& u : t.result.units) {
    EXPECT_EQ(high[u.name + ".busy"], u.busy_cycles) << u.name;
    EXPECT_EQ(high[u.name + ".stall_in"], u.stalled_input_cycles) << u.name;
    EXPECT_EQ(high[u.name + ".stall_out"], u.stalled_output_cycles) << u.name;
  }
  EXPECT_EQ(peak["fifos.short"], t.result.channels[1].peak_occupancy);
  EXPECT_EQ(t.result.channels[1].name, "short");
}

// The timeline: Perfetto's JSON, a complete event per span; a small budget merges spans but
// every unit's track still covers the run without gaps or overlaps.
TEST(Timeline, SpansCoverTheRunAndABudgetBoundsTheSize) {
  const Graph g = slow_pipeline();
  const Traced t = traced_run("fast", g);
  const RunTrace trace(g, t.result, *t.recorder);
  for (std::uint64_t budget : {std::uint64_t{10000000}, std::uint64_t{200}}) {
    const nlohmann::json doc = nlohmann::json::parse(timeline_json(g, trace, budget));
    std::map<int, Cycle> covered, next;
    std::map<int, Cycle> busy;
    std::uint64_t spans = 0, counters = 0;
    for (const auto& e : doc["traceEvents"]) {
      if (e["ph"] == "X") {
        const int tid = e["tid"];
        EXPECT_EQ(e["ts"].get<Cycle>(), next[tid]);
        next[tid] = e["ts"].get<Cycle>() + e["dur"].get<Cycle>();
        covered[tid] += e["dur"].get<Cycle>();
        if (e["name"] == "busy") busy[tid] += e["dur"].get<Cycle>();
        ++spans;
      } else if (e["ph"] == "C") {
        ++counters;
      }
    }
    for (int u = 0; u < g.unit_count(); ++u) EXPECT_EQ(covered[u], t.result.cycles) << u;
    if (budget > 1000000) {
      EXPECT_EQ(doc["otherData"]["spans_merged_below_cycles"], 1);
      for (int u = 0; u < g.unit_count(); ++u)
        EXPECT_EQ(busy[u], t.result.units[u].busy_cycles) << u;
    } else {
      EXPECT_LE(spans, budget / 2);
      EXPECT_LE(counters, budget / 2);
      EXPECT_GT(doc["otherData"]["spans_merged_below_cycles"].get<Cycle>(), 1);
    }
  }
}

}  // namespace
}  // namespace streamsim
