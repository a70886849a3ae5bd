#pragma once
// The fast engine's view of a run: its units and channels with their scheduling state, shared
// by the engine (fast_engine.cpp) and its periodic replay (periodic_replay.h).
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/core/channel_state.h"
#include "sim/core/unit.h"
#include "sim/engines/deadlock_analysis.h"

namespace streamsim::fast {

enum class UnitState : std::uint8_t { Ready, Parked, Done, Stopped };
enum class FiringPhase : std::uint8_t { Start, Reading, Sending };

struct FastUnit;
struct Chain;  // fast_engine.cpp

// A channel as the fast engine sees it: its timing state, its two ends, and whether either end
// is parked on it (so a transfer wakes the other side only when someone waits).
struct FastChannel {
  ChannelState* state = nullptr;
  FastUnit* producer = nullptr;
  FastUnit* consumer = nullptr;
  int index = -1;
  bool producer_parked = false, consumer_parked = false;
};

struct FastUnit {
  Unit* unit = nullptr;
  Cycle clock = 0;
  Cycle busy = 0;
  std::uint64_t firings = 0;
  UnitState state = UnitState::Ready;
  BlockInfo block;
  // The unit's bit in the ready bitmap (units are numbered in topological order).
  std::uint32_t ready_word = 0;
  std::uint64_t ready_bit = 0;
  int input_count = 0, output_count = 0;
  FastChannel* in[kMaxPorts] = {};
  FastChannel* out[kMaxPorts] = {};
  // Where the current firing is (a unit may block part-way through one).
  FiringPhase phase = FiringPhase::Start;
  std::uint32_t rule_reads = 0, rule_writes = 0;
  std::uint32_t pending = 0;  // reads not yet dequeued, or writes not yet sent
  Cycle stamp = 0, firing_ii = 1;
  FiringIO io;
  // Per-input space for tokens dequeued before a block (allocated once, before the run).
  // Outputs need none: a channel's next slot is writable even when it is full (ChannelState).
  std::vector<std::vector<double>> stash_in;
  Chain* chain = nullptr;  // set on the first unit of a chain (FastRun::run_chain)
};

// A unit in the graph wavefront, with the ports of its rule's shape when that reads and writes
// at most two ports each: kind = 3 * reads + writes (0-8), else kind 9 (any rule).
struct GraphMember {
  static constexpr int kAnyRule = 9;
  FastUnit* fu = nullptr;
  Unit* unit = nullptr;
  FastChannel* in[2] = {};
  FastChannel* out[2] = {};
  std::uint64_t shape = ~std::uint64_t{0};  // the shape the fields are for (none yet)
  int pin[2] = {}, pout[2] = {};
  int kind = kAnyRule;
};

// A rule's reads and writes as one word, so that a "same rule, not done" test after fire() is
// one load and one compare beside the done flag.
inline std::uint64_t shape_of(const FiringRule& rule) {
  std::uint64_t w;
  static_assert(offsetof(FiringRule, writes) == sizeof(std::uint32_t), "reads, writes adjacent");
  std::memcpy(&w, &rule.reads, sizeof w);
  return w;
}
inline bool same_shape(const FiringRule& rule, std::uint64_t shape) {
  return !rule.done && shape_of(rule) == shape;
}

}  // namespace streamsim::fast
