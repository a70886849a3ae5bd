#include "sim/report/run_trace.h"

#include <algorithm>

namespace streamsim {

TraceRecorder make_trace_recorder(const Graph& graph, const TraceWindow& window) {
  std::vector<int> src, dst;
  for (int c = 0; c < graph.channel_count(); ++c) {
    src.push_back(graph.channel(c).src);
    dst.push_back(graph.channel(c).dst);
  }
  return TraceRecorder(window, graph.unit_count(), graph.channel_count(), src, dst);
}

const char* activity_name(Activity a) {
  switch (a) {
    case Activity::Busy:
      return "busy";
    case Activity::StalledInput:
      return "stalled on input";
    case Activity::StalledOutput:
      return "stalled on output";
    case Activity::Idle:
      return "idle";
  }
  return "?";
}

RunTrace::RunTrace(const Graph& graph, const RunResult& result, const TraceRecorder& recorder)
    : graph_(graph), result_(result), recorder_(recorder) {
  begin_ = std::min(recorder.window().from, result.cycles);
  end_ = std::max(begin_, std::min(result.cycles, recorder.horizon()));
  truncated_ = recorder.horizon() < std::min(result.cycles, recorder.window().to);
}

std::vector<ActivitySpan> RunTrace::unit_activity(int unit) const {
  std::vector<ActivitySpan> spans;
  auto add = [&](Cycle from, Cycle to, Activity what, int channel) {
    from = std::max(from, begin_);
    to = std::min(to, end_);
    if (from >= to) return;
    if (!spans.empty() && spans.back().what == what && spans.back().channel == channel &&
        spans.back().to == from)
      spans.back().to = to;
    else
      spans.push_back(ActivitySpan{from, to, what, channel});
  };
  // Busy whenever not stalled, up to the unit's final clock (its clock moves no other way).
  const Cycle final_clock = result_.units[unit].final_clock;
  Cycle t = begin_;
  for (const StallInterval& s : recorder_.stalls(unit)) {
    add(t, s.from, Activity::Busy, -1);
    add(s.from, s.to, s.on_input ? Activity::StalledInput : Activity::StalledOutput, s.channel);
    t = s.to;
  }
  add(t, final_clock, Activity::Busy, -1);
  // After it: idle, unless the unit is blocked in a deadlock (then it waits to the end).
  Activity rest = Activity::Idle;
  int channel = -1;
  if (result_.status == RunStatus::Deadlock) {
    for (const BlockedUnit& b : result_.deadlock.blocked) {
      if (b.unit != result_.units[unit].name) continue;
      rest = b.waits_for_data ? Activity::StalledInput : Activity::StalledOutput;
      for (int c = 0; c < graph_.channel_count(); ++c)
        if (graph_.channel(c).name == b.channel) channel = c;
    }
  }
  add(std::max(final_clock, begin_), end_, rest, channel);
  return spans;
}

std::vector<OccupancyStep> RunTrace::occupancy(int channel) const {
  const std::vector<Cycle>& sends = recorder_.sends(channel);
  const std::vector<Cycle>& receives = recorder_.receives(channel);
  // An element is present from its send (inclusive) to its dequeue (exclusive), as for the peak.
  std::int64_t occ = static_cast<std::int64_t>(recorder_.sends_before(channel)) -
                     static_cast<std::int64_t>(recorder_.receives_before(channel));
  std::vector<OccupancyStep> steps;
  std::size_t i = 0, j = 0;
  auto emit = [&](Cycle at) {
    const auto value = static_cast<std::uint64_t>(std::max<std::int64_t>(occ, 0));
    if (!steps.empty() && steps.back().occupancy == value) return;
    if (!steps.empty() && steps.back().at == at)
      steps.back().occupancy = value;
    else
      steps.push_back(OccupancyStep{at, value});
  };
  emit(begin_);
  for (;;) {
    const Cycle next =
        std::min(i < sends.size() ? sends[i] : end_, j < receives.size() ? receives[j] : end_);
    if (next >= end_) break;
    while (i < sends.size() && sends[i] == next) ++occ, ++i;
    while (j < receives.size() && receives[j] == next) --occ, ++j;
    emit(next);
  }
  return steps;
}

}  // namespace streamsim
