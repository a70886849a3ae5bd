#pragma once
// What the VCD trace and the timeline show, derived from a TraceRecorder after the run: each
// unit's activity as spans (busy, stalled on input, stalled on output, idle) and each channel's
// occupancy as steps, over the recorded window up to the trace's end (the run's length, the
// window's end or the recorder's horizon, whichever comes first).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/graph.h"
#include "sim/core/run_result.h"
#include "sim/core/trace_recorder.h"

namespace streamsim {

// A recorder sized and wired for `graph` (channel ends), keeping `window`.
TraceRecorder make_trace_recorder(const Graph& graph, const TraceWindow& window);

enum class Activity : std::uint8_t { Busy, StalledInput, StalledOutput, Idle };
const char* activity_name(Activity a);  // "busy", "stalled on input", ...

struct ActivitySpan {
  Cycle from, to;
  Activity what;
  int channel;  // the channel waited on (stalls), -1 otherwise
};

struct OccupancyStep {
  Cycle at;
  std::uint64_t occupancy;  // from `at` until the next step
};

class RunTrace {
 public:
  RunTrace(const Graph& graph, const RunResult& result, const TraceRecorder& recorder);
  Cycle begin() const { return begin_; }
  Cycle end() const { return end_; }  // exclusive
  bool truncated() const { return truncated_; }
  // Consecutive spans covering [begin, end) exactly, in time order.
  std::vector<ActivitySpan> unit_activity(int unit) const;
  // Steps covering [begin, end): the first at begin; a step only where the occupancy changes.
  std::vector<OccupancyStep> occupancy(int channel) const;

 private:
  const Graph& graph_;
  const RunResult& result_;
  const TraceRecorder& recorder_;
  Cycle begin_, end_;
  bool truncated_;
};

// The whole trace as a VCD (IEEE 1364 value change dump) that GTKWave opens: per unit the wires
// busy, stall_in and stall_out; per channel its occupancy as an integer. 1 ns = 1 cycle.
std::string vcd_trace(const Graph& graph, const RunTrace& trace);

// The trace as Chrome/Perfetto trace events (JSON): a track per unit with its activity spans
// and a counter per channel with its occupancy; 1 us = 1 cycle. At most about `max_events`
// events: when there would be more, spans shorter than a threshold are merged into their
// neighbours and occupancy is reported per bin (its maximum), the threshold and bin doubling
// until the budget holds; both are written into the file's metadata.
std::string timeline_json(const Graph& graph, const RunTrace& trace, std::uint64_t max_events);

}  // namespace streamsim
