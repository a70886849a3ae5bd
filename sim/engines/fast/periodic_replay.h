#pragma once
// Periodic replay, the fast engine's exact fast-forward: when the timing of every unit and
// channel repeats period after period, the period's firings are repeated calling only fire(),
// and the times the timed run would have are written once when the replay stops.
// docs/performance.md, steps 18-19; docs/architecture.md.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/engines/fast/fast_run_state.h"
#include "sim/engines/fast/replay_batches.h"
#include "sim/engines/fast/replay_period.h"

namespace streamsim::fast {

// What the replay needs from the engine when it times firings itself: the engine's wake-ups
// (a transfer wakes a unit parked on the channel).
class ReplayWaker {
 public:
  virtual void wake_producer(FastChannel& channel) = 0;
  virtual void wake_consumer(FastChannel& channel) = 0;

 protected:
  ~ReplayWaker() = default;
};

// A graph whose timing repeats period after period (a period: a few rounds of the wavefront
// in which every firing unit fires with the same rules, IIs and latencies as in the period
// before, and after which every unit's and channel's times are those one period before plus
// the same delta) keeps repeating it for as long as the units keep their rules, IIs and
// latencies: the engine's decisions and times depend on nothing else. The wavefront checks
// this on a recorded period (a snapshot of every unit's and channel's timing before it,
// compared after each of up to kMaxPeriod rounds) and, when it holds, replays the period's
// firings: each calls fire() on the tokens in the right slots but computes no time; each
// firing's rule is checked before it and its II and latency after it. When the replay stops
// (a rule or timing changed, max_cycles is near, or the replay's budget is spent), the times
// the timed run would have written are set at once (ChannelState::finish_replay) and the
// firings of the unfinished period are timed one by one. While the units promise to keep their
// rules and timing, whole periods run in batches unit by unit instead (replay_batches.h).
// Results are identical to the timed run's, which the engine agreement tests check.
class PeriodicReplay {
 public:
  // `units` and `channels` are the run's; they must not be resized while this lives.
  // `max_firings`: firings one replay may run (at most kReplayFirings; fewer for wide tokens,
  // so that a replay's copying ends well within the monitor's poll interval).
  PeriodicReplay(std::vector<FastUnit>& units, std::vector<FastChannel>& channels, Cycle limit,
                 bool enabled, ReplayWaker& waker, std::uint64_t max_firings = kReplayFirings)
      : units_(units),
        channels_(channels),
        limit_(limit),
        replay_enabled_(enabled),
        waker_(waker),
        max_firings_(std::min(max_firings, kReplayFirings)) {
    unit_snaps_.resize(units.size());
    channel_replays_.resize(channels.size());
  }

  bool enabled() const { return replay_enabled_; }
  std::uint64_t replayed_firings() const { return replayed_firings_; }
  // Of those, the firings run in batches (replay_batches.h).
  std::uint64_t batched_firings() const { return batches_.batched_firings(); }
  bool recording() const { return recording_; }

  // The graph wavefront's hooks, in its order: a wavefront starts; a round starts; a member
  // fired with the recorded shape (`clock`: its clock before the firing); a firing the replay
  // cannot repeat; a round ended. round_ended returns true if it replayed.
  void start_wavefront() { recording_ = false; }
  void round_starting() {
    if (replay_enabled_ && !recording_ && replay_wait_ == 0) begin_recording();
  }
  void record(const GraphMember& m, Cycle clock) {
    ReplayStep s;
    s.fu = m.fu;
    s.unit = m.unit;
    for (int i = 0; i < 2; ++i) {
      s.in_channel[i] = m.in[i];
      s.out_channel[i] = m.out[i];
      s.in[i] = m.in[i] ? m.in[i]->state : nullptr;
      s.out[i] = m.out[i] ? m.out[i]->state : nullptr;
      s.pin[i] = m.pin[i];
      s.pout[i] = m.pout[i];
      s.in_by_reference[i] = m.in[i] && m.in[i]->state->by_reference();
    }
    s.kind = m.kind;
    s.shape = m.shape;
    s.ii = m.unit->firing_ii();
    s.latency = m.unit->firing_latency();
    s.clock = clock;
    replay_steps_.push_back(s);
    unit_snaps_[m.fu - units_.data()].fires = true;
  }
  void unreplayable_firing() {
    if (!recording_) return;
    recording_ = false;
    replay_wait_ = next_replay_wait();
  }
  bool round_ended(bool fired) {
    if (recording_) return fired && try_replay();
    if (replay_wait_ > 0) --replay_wait_;
    return false;
  }
  // Record from the round after the next one (one-chain graphs: FastRun::try_chain_replay).
  void record_after_one_round() { replay_wait_ = 1; }

  static constexpr int kMaxPeriod = 8;  // rounds
  static constexpr int kReplayMaxWait = 4096;

 private:
  void begin_recording() {
    for (std::size_t u = 0; u < units_.size(); ++u) {
      const FastUnit& fu = units_[u];
      unit_snaps_[u] = UnitSnapshot{fu.clock, fu.state, fu.phase, fu.pending, false};
    }
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      ChannelReplay& r = channel_replays_[c];
      channels_[c].state->save_timing(r.before);
      r.producer_parked = channels_[c].producer_parked;
      r.consumer_parked = channels_[c].consumer_parked;
    }
    replay_steps_.clear();
    recorded_rounds_ = 0;
    recording_ = true;
  }

  // Rounds to wait before the next recorded period: doubling after each period that did not
  // repeat (up to kReplayMaxWait), so graphs that never repeat pay little for the snapshots.
  int next_replay_wait() {
    if (replay_failures_ < 12) ++replay_failures_;
    return std::min(kReplayMaxWait, 1 << replay_failures_);
  }

  // After each round of a recorded period: replays the period if the timing repeated, and
  // returns true if it did; gives up after kMaxPeriod rounds.
  bool try_replay() {
    ++recorded_rounds_;
    Cycle delta = 0;
    if (!period_repeats(delta)) {
      if (recorded_rounds_ < kMaxPeriod) return false;
      recording_ = false;
      replay_wait_ = next_replay_wait();
      return false;
    }
    recording_ = false;
    replay_failures_ = 0;
    replay_wait_ = 1;  // after the replay stops, record again once the next round has run
    replay(delta);
    return true;
  }

  bool period_repeats(Cycle& delta) {
    if (replay_steps_.empty()) return false;
    const FastUnit& u0 = *replay_steps_[0].fu;
    delta = u0.clock - unit_snaps_[&u0 - units_.data()].clock;
    if (delta < 0) return false;
    for (std::size_t u = 0; u < units_.size(); ++u) {
      const FastUnit& fu = units_[u];
      const UnitSnapshot& was = unit_snaps_[u];
      if (fu.state != was.state || fu.phase != was.phase || fu.pending != was.pending) return false;
      if (fu.clock != was.clock + (was.fires ? delta : 0)) return false;
    }
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      ChannelReplay& r = channel_replays_[c];
      const FastChannel& fc = channels_[c];
      if (fc.producer_parked != r.producer_parked || fc.consumer_parked != r.consumer_parked)
        return false;
      if (!fc.state->repeats(r.before, delta)) return false;
      r.moved = fc.state->sent() - r.before.sent;
      r.consumer_stall = fc.state->consumer_stall() - r.before.consumer_stall;
      r.producer_stall = fc.state->producer_stall() - r.before.producer_stall;
    }
    return true;
  }

  enum class Replayed { Same, RuleChanged, TimingChanged };

  // Replays the recorded period (replay_steps_) from now on; see "periodic replay" above.
  void replay(Cycle delta) {
    const std::size_t n = replay_steps_.size();
    std::uint64_t periods = std::max<std::uint64_t>(1, max_firings_ / n);
    if (delta > 0) {
      // Period k (from 0) fires each step at its recorded clock + (k + 1) * delta < limit.
      for (const ReplayStep& s : replay_steps_) {
        const Cycle left = limit_ - 1 - s.clock;
        if (left < delta) return;
        periods = std::min<std::uint64_t>(periods, static_cast<std::uint64_t>(left / delta));
      }
    }
    // Whole periods in batches first, while every unit promises steady firings; the rest (up
    // to the rule change that ends the promise) one firing at a time.
    batched_periods_ = 0;
    if (periods >= ReplayBatches::kMinBatchPeriods &&
        batches_.plan(replay_steps_, channels_, channel_replays_)) {
      batched_periods_ = batches_.run(periods);
      periods -= batched_periods_;
      if (periods == 0) return end_replay(0, delta);
    }
    if (build_replay_table()) return replay_from_table(periods, delta);
    const ReplayStep* const steps = replay_steps_.data();
    // The nine shapes are dispatched by written-out switches here and in replay_from_table: one
    // shared dispatch (a generic lambda called with std::integral_constant reads and writes)
    // made GCC lay these loops out ~15 % slower on SDPA N = 4096.
    for (std::uint64_t k = 0; k < periods; ++k) {
      for (std::size_t i = 0; i < n; ++i) {
        Replayed r;
        switch (steps[i].kind) {
          case 0:
            r = replay_firing<0, 0>(steps[i]);
            break;
          case 1:
            r = replay_firing<0, 1>(steps[i]);
            break;
          case 2:
            r = replay_firing<0, 2>(steps[i]);
            break;
          case 3:
            r = replay_firing<1, 0>(steps[i]);
            break;
          case 4:
            r = replay_firing<1, 1>(steps[i]);
            break;
          case 5:
            r = replay_firing<1, 2>(steps[i]);
            break;
          case 6:
            r = replay_firing<2, 0>(steps[i]);
            break;
          case 7:
            r = replay_firing<2, 1>(steps[i]);
            break;
          default:
            r = replay_firing<2, 2>(steps[i]);
            break;
        }
        if (r != Replayed::Same) return end_replay_in_period(k, i, r, delta);
      }
    }
    end_replay(periods, delta);
  }

  // The slots of a channel's ring buffer repeat after P / 2^j periods (P slots, a power of two;
  // 2^j the largest power of two dividing the elements moved per period): replay_table_ holds,
  // for that many periods (the longest over all channels), the slot every replayed firing
  // reads and writes, so that a replayed firing takes its token pointers from one row instead
  // of computing them from the channels' counters. False (no table) if it would be large.
  bool build_replay_table() {
    const std::size_t n = replay_steps_.size();
    std::uint64_t periods = 1;
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      const std::uint64_t moved = channel_replays_[c].moved;
      if (moved == 0) continue;
      const std::uint64_t slots = channels_[c].state->slot_count();
      const std::uint64_t power = moved & (~moved + 1);
      periods = std::max(periods, power >= slots ? 1 : slots / power);
    }
    if (periods * n > kReplayTableTokens) return false;
    replay_table_.resize(periods * n);
    ReplayTokens* t = replay_table_.data();
    for (std::uint64_t k = 0; k < periods; ++k)
      for (const ReplayStep& s : replay_steps_) {
        for (int j = 0; j < s.kind / 3; ++j) t->in[j] = s.in[j]->replay_receive_slot();
        for (int j = 0; j < s.kind % 3; ++j) {
          t->out[j] = s.out[j]->back_data();
          s.out[j]->replay_send();
        }
        ++t;
      }
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      const std::uint64_t moved = periods * channel_replays_[c].moved;
      channels_[c].state->replay_rewind(moved, moved);
    }
    replay_table_periods_ = periods;
    return true;
  }

  // replay() with the token pointers from replay_table_; the channels' counters are moved once
  // when the replay stops.
  void replay_from_table(std::uint64_t periods, Cycle delta) {
    const std::size_t n = replay_steps_.size();
    const std::uint64_t phase_mask = replay_table_periods_ - 1;
    const ReplayStep* const steps = replay_steps_.data();
    for (std::uint64_t k = 0; k < periods; ++k) {
      const ReplayTokens* const row = replay_table_.data() + (k & phase_mask) * n;
      for (std::size_t i = 0; i < n; ++i) {
        Replayed r;
        switch (steps[i].kind) {
          case 0:
            r = replay_tokens<0, 0>(steps[i], row[i]);
            break;
          case 1:
            r = replay_tokens<0, 1>(steps[i], row[i]);
            break;
          case 2:
            r = replay_tokens<0, 2>(steps[i], row[i]);
            break;
          case 3:
            r = replay_tokens<1, 0>(steps[i], row[i]);
            break;
          case 4:
            r = replay_tokens<1, 1>(steps[i], row[i]);
            break;
          case 5:
            r = replay_tokens<1, 2>(steps[i], row[i]);
            break;
          case 6:
            r = replay_tokens<2, 0>(steps[i], row[i]);
            break;
          case 7:
            r = replay_tokens<2, 1>(steps[i], row[i]);
            break;
          default:
            r = replay_tokens<2, 2>(steps[i], row[i]);
            break;
        }
        if (r != Replayed::Same) {
          advance_channels(k);
          return end_replay_in_period(k, i, r, delta, /*counters_at_period_start=*/true);
        }
      }
    }
    advance_channels(periods);
    end_replay(periods, delta);
  }

  void advance_channels(std::uint64_t periods) {
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      const std::uint64_t moved = periods * channel_replays_[c].moved;
      channels_[c].state->replay_advance(moved, moved);
    }
  }

  // replay_firing with the token pointers from the table.
  template <int kNi, int kNo>
  static Replayed replay_tokens(const ReplayStep& s, const ReplayTokens& t) {
    Unit& unit = *s.unit;
    if (!same_shape(unit.rule(), s.shape)) return Replayed::RuleChanged;
    FiringIO& io = s.fu->io;
    for (int i = 0; i < kNi; ++i)
      io.in[s.pin[i]] = s.in_by_reference[i] ? token_reference(t.in[i]) : t.in[i];
    for (int j = 0; j < kNo; ++j) io.out[s.pout[j]] = t.out[j];
    unit.fire(io);
    if (unit.firing_ii() != s.ii || unit.firing_latency() != s.latency)
      return Replayed::TimingChanged;
    return Replayed::Same;
  }

  // One replayed firing: the data moves, no time is computed. RuleChanged: the unit's rule is
  // not the recorded one (nothing done). TimingChanged: fire() set another II or latency than
  // the recorded firing's (the inputs are dequeued, the outputs not sent).
  template <int kNi, int kNo>
  static Replayed replay_firing(const ReplayStep& s) {
    Unit& unit = *s.unit;
    if (!same_shape(unit.rule(), s.shape)) return Replayed::RuleChanged;
    FiringIO& io = s.fu->io;
    for (int i = 0; i < kNi; ++i) io.in[s.pin[i]] = s.in[i]->replay_receive();
    for (int j = 0; j < kNo; ++j) io.out[s.pout[j]] = s.out[j]->back_data();
    unit.fire(io);
    if (unit.firing_ii() != s.ii || unit.firing_latency() != s.latency)
      return Replayed::TimingChanged;
    for (int j = 0; j < kNo; ++j) s.out[j]->replay_send();
    return Replayed::Same;
  }

  // The replay stopped after `periods` whole periods: every unit and channel gets the timing
  // the timed run would have after them.
  void end_replay(std::uint64_t periods, Cycle delta) {
    periods += batched_periods_;  // run in batches before the periods counted here
    replayed_firings_ += periods * replay_steps_.size();
    for (const ReplayStep& s : replay_steps_) {
      FastUnit& fu = *s.fu;
      fu.busy += static_cast<Cycle>(periods) * s.ii;
      fu.firings += periods;
    }
    const Cycle shift = static_cast<Cycle>(periods) * delta;
    for (std::size_t u = 0; u < units_.size(); ++u)
      if (unit_snaps_[u].fires) units_[u].clock += shift;
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      const ChannelReplay& r = channel_replays_[c];
      channels_[c].state->finish_replay(periods, r.moved, delta, r.consumer_stall, r.producer_stall,
                                        replay_scratch_);
    }
  }

  // The replay stopped in period `periods` at step `at`: the counters go back to the period's
  // start, the whole periods are timed (end_replay), then the period's earlier firings as
  // recorded, and step `at`, if its fire() ran (TimingChanged), with its own II and latency.
  // counters_at_period_start: the counters were not moved within the period (replay table).
  void end_replay_in_period(std::uint64_t periods, std::size_t at, Replayed why, Cycle delta,
                            bool counters_at_period_start = false) {
    const bool fired = why == Replayed::TimingChanged;
    for (std::size_t i = 0; !counters_at_period_start && i < at + (fired ? 1 : 0); ++i) {
      const ReplayStep& s = replay_steps_[i];
      for (int j = 0; j < s.kind / 3; ++j) s.in[j]->replay_unreceive();
      if (i < at)
        for (int j = 0; j < s.kind % 3; ++j) s.out[j]->replay_unsend();
    }
    end_replay(periods, delta);
    for (std::size_t i = 0; i < at + (fired ? 1 : 0); ++i) {
      const ReplayStep& s = replay_steps_[i];
      const bool last = i == at;
      const Cycle ii = last ? s.unit->firing_ii() : s.ii;
      const Cycle latency = last ? s.unit->firing_latency() : s.latency;
      time_firing(s, ii, latency);
    }
  }

  // The timing of a replayed firing whose fire() has already run (fire_ports without fire()).
  void time_firing(const ReplayStep& s, Cycle ii, Cycle latency) {
    FastUnit& fu = *s.fu;
    Cycle clock = fu.clock;
    for (int i = 0; i < s.kind / 3; ++i) {
      clock = s.in[i]->wait_visible(clock);
      s.in[i]->commit_receive(clock);
      waker_.wake_producer(*s.in_channel[i]);
    }
    const Cycle stamp = clock + latency;
    for (int j = 0; j < s.kind % 3; ++j) {
      ChannelState* const ch = s.out[j];
      clock = ch->wait_credit(clock);
      ch->commit_send(clock, std::max(stamp, clock + ch->latency()));
      waker_.wake_consumer(*s.out_channel[j]);
    }
    fu.clock = clock + ii;
    fu.busy += ii;
    ++fu.firings;
  }

  // A replay runs at most this many firings before the wavefront returns (to the sweep's loop,
  // where the monitor is polled); rounds that did not repeat wait at most kReplayMaxWait
  // rounds before the next recorded one.
  static constexpr std::uint64_t kReplayFirings = std::uint64_t{1} << 20;
  static constexpr std::uint64_t kReplayTableTokens = 4096;  // rows of replay_table_

  std::vector<FastUnit>& units_;
  std::vector<FastChannel>& channels_;
  const Cycle limit_;
  const bool replay_enabled_;
  ReplayWaker& waker_;
  const std::uint64_t max_firings_;
  bool recording_ = false;
  int replay_wait_ = 2, replay_failures_ = 0, recorded_rounds_ = 0;
  std::vector<ReplayStep> replay_steps_;
  std::vector<UnitSnapshot> unit_snaps_;
  std::vector<ChannelReplay> channel_replays_;
  std::vector<ChannelState::Slot> replay_scratch_;
  std::vector<ReplayTokens> replay_table_;
  std::uint64_t replay_table_periods_ = 1;
  std::uint64_t replayed_firings_ = 0;
  ReplayBatches batches_;
  std::uint64_t batched_periods_ = 0;  // of the current replay, run by batches_
};

}  // namespace streamsim::fast
