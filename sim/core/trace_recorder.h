#pragma once
// Records what a run did over time, for the VCD trace and the timeline (sim/report/trace_*):
// every send and dequeue of every channel (occupancy over time) and every interval a unit's
// clock jumped while it waited for data or for credit. Busy time needs no events: a unit's
// clock moves only by its firings' II or by those waits (docs/timing-model.md), so it is busy
// whenever it is not stalled, until its final clock.
//
// The channels call it (ChannelState, only when a recorder is attached), in the engine's
// execution order, which is not time order across channels; but each stream — one channel's
// sends, its dequeues, one unit's stalls — arrives in time order. That gives an exact
// truncation: when the event budget runs out, recording stops, and the trace stays exact up to
// the horizon = the earliest last-recorded time among streams that lost an event.
//
// Only events in the cycle window [from, to) are kept; events before it are counted so the
// window starts from the right occupancy.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {

struct TraceWindow {
  Cycle from = 0;
  Cycle to = std::numeric_limits<Cycle>::max();
  std::uint64_t max_events = 20000000;  // budget over all streams
};

struct StallInterval {
  Cycle from, to;
  int channel;
  bool on_input;  // waiting for data (else: for credit)
};

class TraceRecorder {
 public:
  TraceRecorder(const TraceWindow& window, int units, int channels,
                const std::vector<int>& channel_src, const std::vector<int>& channel_dst)
      : window_(window),
        src_(channel_src),
        dst_(channel_dst),
        sends_(static_cast<std::size_t>(channels)),
        receives_(static_cast<std::size_t>(channels)),
        stalls_(static_cast<std::size_t>(units)),
        sends_before_(static_cast<std::size_t>(channels)),
        receives_before_(static_cast<std::size_t>(channels)) {}

  void sent(int channel, Cycle t) { point(sends_[channel], sends_before_[channel], t); }
  void received(int channel, Cycle t) { point(receives_[channel], receives_before_[channel], t); }
  void consumer_stalled(int channel, Cycle from, Cycle to) {
    stall(dst_[channel], channel, true, from, to);
  }
  void producer_stalled(int channel, Cycle from, Cycle to) {
    stall(src_[channel], channel, false, from, to);
  }

  const TraceWindow& window() const { return window_; }
  const std::vector<Cycle>& sends(int c) const { return sends_[c].times; }
  const std::vector<Cycle>& receives(int c) const { return receives_[c].times; }
  const std::vector<StallInterval>& stalls(int u) const { return stalls_[u].intervals; }
  // Elements sent / dequeued before the window: the occupancy at its start is their difference.
  std::uint64_t sends_before(int c) const { return sends_before_[c]; }
  std::uint64_t receives_before(int c) const { return receives_before_[c]; }
  // The first cycle not covered exactly (the window's end unless the budget ran out).
  Cycle horizon() const { return std::min(horizon_, window_.to); }
  bool truncated() const { return horizon_ < window_.to; }
  std::uint64_t events() const { return events_; }

 private:
  struct Points {
    std::vector<Cycle> times;
  };
  struct Stalls {
    std::vector<StallInterval> intervals;
  };

  // Spends one event of the budget on an event at time t, or, with the budget spent, lowers
  // the horizon to t: this stream is exact only before its first lost event.
  bool take(Cycle t) {
    if (events_ < window_.max_events) {
      ++events_;
      return true;
    }
    if (t < horizon_) horizon_ = t;
    return false;
  }
  void point(Points& p, std::uint64_t& before, Cycle t) {
    if (t < window_.from) {
      ++before;
      return;
    }
    if (t >= window_.to || t >= horizon_) return;
    if (!take(t)) return;
    p.times.push_back(t);
  }
  void stall(int unit, int channel, bool on_input, Cycle from, Cycle to) {
    if (from < window_.from) from = window_.from;
    if (to > window_.to) to = window_.to;
    if (from >= to || from >= horizon_) return;
    if (!take(from)) return;
    stalls_[unit].intervals.push_back(StallInterval{from, to, channel, on_input});
  }

  TraceWindow window_;
  std::vector<int> src_, dst_;
  std::vector<Points> sends_, receives_;
  std::vector<Stalls> stalls_;
  std::vector<std::uint64_t> sends_before_, receives_before_;
  std::uint64_t events_ = 0;
  Cycle horizon_ = std::numeric_limits<Cycle>::max();
};

}  // namespace streamsim
