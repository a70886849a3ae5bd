#pragma once
// The period a periodic replay repeats, as recorded: its firings in order (ReplayStep), and per
// unit and channel the timing it began with and what one period changes. Shared by the replay
// (periodic_replay.h) and its batched runner (replay_batches.h).
#include <cstdint>
#include <vector>

#include "sim/engines/fast/fast_run_state.h"

namespace streamsim::fast {

// One firing of the period a periodic replay repeats (PeriodicReplay::replay): the member, the rule
// shape it fired with, and the firing's II and latency as fire() set them.
// The ports are copied from the member: a unit may fire with several shapes in one period.
struct ReplayStep {
  FastUnit* fu = nullptr;
  Unit* unit = nullptr;
  ChannelState* in[2] = {};  // in_channel[i]->state, kept here for the replay loop
  ChannelState* out[2] = {};
  int pin[2] = {}, pout[2] = {};
  int kind = 0;
  bool in_by_reference[2] = {};  // the input's slots hold pointers to the tokens
  std::uint64_t shape = 0;
  Cycle ii = 0, latency = 0;
  Cycle clock = 0;  // the unit's clock when it fired (the firing's max_cycles test)
  FastChannel* in_channel[2] = {};
  FastChannel* out_channel[2] = {};
};

// The slots a replayed firing reads and writes in one period of the replay table.
struct ReplayTokens {
  const double* in[2] = {};
  double* out[2] = {};
};

// A unit's timing state when a replay candidate round began.
struct UnitSnapshot {
  Cycle clock = 0;
  UnitState state = UnitState::Ready;
  FiringPhase phase = FiringPhase::Start;
  std::uint32_t pending = 0;
  bool fires = false;  // fired in the recorded period
};

// A channel's timing when a replay candidate period began, and per period of the replay.
struct ChannelReplay {
  ChannelState::TimingSnapshot before;
  bool producer_parked = false, consumer_parked = false;
  std::uint64_t moved = 0;                       // elements per period
  Cycle consumer_stall = 0, producer_stall = 0;  // stall cycles per period
};

}  // namespace streamsim::fast
