#pragma once
// Batched replay: a periodic replay's periods run unit by unit instead of firing by firing.
// While every unit of the period promises (Unit::steady_firings) to keep its rule, II and
// latency for B more periods, the periods' timing is known to repeat B times, so only the
// values remain to compute, and a unit's values depend on nothing but its own input tokens in
// order (each unit is a sequential process; channels are FIFOs). The units therefore fire in
// topological order, each B periods' firings in a row (Unit::fire_batch): the same firings on
// the same tokens, hence the same values, with no per-firing rule or timing check and each
// unit's loop kept hot. A channel whose ring has room for a batch's tokens beside those in
// flight (a long FIFO) is read and written in place; a short one's tokens go through a staging
// ring of the batch's size, into which the tokens in flight are copied when the batches start
// and from which they return when they stop. docs/performance.md, step 20.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/engines/fast/replay_period.h"
#include "sim/units/vector_kernels.h"

namespace streamsim::fast {

class ReplayBatches {
 public:
  // Plans batches for a recorded period. False if the period cannot run in batches: a unit
  // fires with more than one rule or timing in it, or tokens go round a cycle of units (no
  // unit could run all its firings before its consumers).
  bool plan(const std::vector<ReplayStep>& steps, std::vector<FastChannel>& channels,
            const std::vector<ChannelReplay>& replays) {
    groups_.clear();
    stages_.clear();
    stage_of_.assign(channels.size(), -1);
    for (std::size_t c = 0; c < channels.size(); ++c) {
      if (replays[c].moved == 0) continue;
      stage_of_[c] = static_cast<int>(stages_.size());
      Stage st;
      st.state = channels[c].state;
      st.moved = replays[c].moved;
      st.held = st.state->occupancy();
      stages_.push_back(st);
    }
    for (const ReplayStep& s : steps)
      if (!add_step(s, channels)) return false;
    if (!order_groups()) return false;
    // Each stage's firings per period must account for exactly the tokens it moves.
    std::vector<std::uint64_t> produced(stages_.size(), 0), consumed(stages_.size(), 0);
    for (const Group& g : groups_) {
      for (int i = 0; i < g.nin; ++i)
        consumed[static_cast<std::size_t>(g.in_stage[i])] += g.per_period;
      for (int j = 0; j < g.nout; ++j)
        produced[static_cast<std::size_t>(g.out_stage[j])] += g.per_period;
    }
    // A ring with room for kMaxBatchPeriods / 4 periods beside its tokens in flight is used in
    // place (batches then stop at its room); the others are staged.
    std::uint64_t periods = kMaxBatchPeriods, staged_doubles = 0;
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      Stage& st = stages_[k];
      if (produced[k] != st.moved || consumed[k] != st.moved) return false;
      const std::uint64_t room = (st.state->slot_count() - st.held) / st.moved;
      st.direct = room >= kMaxBatchPeriods / 4;
      if (st.direct)
        periods = std::min(periods, room);
      else
        staged_doubles += st.moved * stride_of(st);
    }
    if (staged_doubles > 0) periods = std::min(periods, kStageDoubles / staged_doubles);
    max_periods_ = periods;
    if (max_periods_ < kMinBatchPeriods) return false;
    buffers_.resize(std::max(buffers_.size(), stages_.size()));
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      Stage& st = stages_[k];
      if (st.direct) continue;
      std::uint64_t slots = 1;
      while (slots < st.held + max_periods_ * st.moved) slots <<= 1;
      st.mask = slots - 1;
      buffers_[k].resize(slots * stride_of(st));
    }
    return true;
  }

  // Runs up to `periods` whole periods in batches, for as long as every unit promises at least
  // kMinBatchPeriods periods with the recorded rule and timing; returns the periods run. The
  // channels' counters are moved on by them and their rings hold the tokens then in flight,
  // exactly as if the periods had been replayed one firing at a time.
  std::uint64_t run(std::uint64_t periods) {
    std::uint64_t done = 0;
    bool staged = false;  // the tokens in flight of the staged channels are in their stages
    while (periods - done >= kMinBatchPeriods) {
      std::uint64_t batch = std::min(periods - done, max_periods_);
      for (const Group& g : groups_) {
        const Unit& u = *g.unit;
        if (!same_shape(u.rule(), g.shape) || u.firing_ii() != g.ii ||
            u.firing_latency() != g.latency) {
          batch = 0;
          break;
        }
        batch = std::min(batch, u.steady_firings() / g.per_period);
      }
      if (batch < kMinBatchPeriods) break;
      if (!staged) stage_in();
      staged = true;
      run_batch(batch);
      done += batch;
    }
    if (staged) stage_out();
    return done;
  }

  std::uint64_t batched_firings() const { return batched_firings_; }

  // Fewer periods than this in a row are left to the per-firing replay (a batch has a fixed
  // cost: a promise asked of and a fire_batch call made to every unit).
  static constexpr std::uint64_t kMinBatchPeriods = 8;

 private:
  // A channel's tokens during batches: in its own ring (direct) or in a staging ring, the
  // consumer reading from element `read`, the producer writing from read + held.
  struct Stage {
    ChannelState* state = nullptr;
    std::uint64_t moved = 0, held = 0;
    bool direct = false;
    std::uint64_t mask = 0, read = 0;  // staged: the staging ring's mask and read position
  };
  static std::uint32_t stride_of(const Stage& st) {  // doubles per staged token
    return st.state->by_reference() ? 1u : static_cast<std::uint32_t>(st.state->width());
  }

  // A unit's firings in the period: all with one rule and timing (the recorded step's).
  struct Group {
    Unit* unit = nullptr;
    std::uint64_t shape = 0;
    Cycle ii = 0, latency = 0;
    std::uint64_t per_period = 0;
    int nin = 0, nout = 0;
    int pin[2] = {}, pout[2] = {};
    int in_stage[2] = {}, out_stage[2] = {};
  };

  bool add_step(const ReplayStep& s, std::vector<FastChannel>& channels) {
    for (Group& g : groups_) {
      if (g.unit != s.unit) continue;
      if (g.shape != s.shape || g.ii != s.ii || g.latency != s.latency) return false;
      ++g.per_period;
      return true;
    }
    Group g;
    g.unit = s.unit;
    g.shape = s.shape;
    g.ii = s.ii;
    g.latency = s.latency;
    g.per_period = 1;
    g.nin = s.kind / 3;
    g.nout = s.kind % 3;
    for (int i = 0; i < g.nin; ++i) {
      g.pin[i] = s.pin[i];
      g.in_stage[i] = stage_of_[static_cast<std::size_t>(s.in_channel[i] - channels.data())];
      if (g.in_stage[i] < 0) return false;
    }
    for (int j = 0; j < g.nout; ++j) {
      g.pout[j] = s.pout[j];
      g.out_stage[j] = stage_of_[static_cast<std::size_t>(s.out_channel[j] - channels.data())];
      if (g.out_stage[j] < 0) return false;
    }
    groups_.push_back(g);
    return true;
  }

  // Puts every group after the producers of its inputs (Kahn's algorithm, each stage's one
  // consumer found through `consumer`); false on a cycle.
  bool order_groups() {
    const std::size_t n = groups_.size();
    std::vector<int> consumer(stages_.size(), -1), waiting(n, 0);
    for (std::size_t g = 0; g < n; ++g)
      for (int i = 0; i < groups_[g].nin; ++i)
        consumer[static_cast<std::size_t>(groups_[g].in_stage[i])] = static_cast<int>(g);
    for (const Group& g : groups_)
      for (int j = 0; j < g.nout; ++j) {
        const int c = consumer[static_cast<std::size_t>(g.out_stage[j])];
        if (c >= 0) ++waiting[static_cast<std::size_t>(c)];
      }
    std::vector<std::size_t> order;
    order.reserve(n);
    for (std::size_t g = 0; g < n; ++g)
      if (waiting[g] == 0) order.push_back(g);
    for (std::size_t next = 0; next < order.size(); ++next) {
      const Group& g = groups_[order[next]];
      for (int j = 0; j < g.nout; ++j) {
        const int c = consumer[static_cast<std::size_t>(g.out_stage[j])];
        if (c >= 0 && --waiting[static_cast<std::size_t>(c)] == 0)
          order.push_back(static_cast<std::size_t>(c));
      }
    }
    if (order.size() < n) return false;
    std::vector<Group> ordered;
    ordered.reserve(n);
    for (std::size_t g : order) ordered.push_back(groups_[g]);
    groups_.swap(ordered);
    return true;
  }

  // The tokens in flight of the staged channels, from their rings into their stages.
  void stage_in() {
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      Stage& st = stages_[k];
      if (st.direct) continue;
      st.read = 0;
      copy_tokens(st, st.state->received(), buffers_[k].data(), false);
    }
  }
  // ...and back, after the batches moved the counters on.
  void stage_out() {
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      const Stage& st = stages_[k];
      if (!st.direct) copy_tokens(st, st.state->received(), buffers_[k].data(), true);
    }
  }
  // Copies the `held` tokens from ring element `first` on to the stage's ring from its read
  // position (back: the other way).
  void copy_tokens(const Stage& st, std::uint64_t first, double* stage, bool back) {
    const std::uint32_t stride = stride_of(st);
    for (std::uint64_t i = 0; i < st.held; ++i) {
      double* ring = st.state->element_slot(first + i);
      double* staged = stage + ((st.read + i) & st.mask) * stride;
      if (back)
        std::memcpy(ring, staged, stride * sizeof(double));
      else
        std::memcpy(staged, ring, stride * sizeof(double));
    }
  }

  // Where a stage's tokens are: a ring of `slots` slots of `stride` doubles from `base`, the
  // batch's first token (the consumer's, or the producer's) at element `first`.
  struct RingView {
    double* base = nullptr;
    std::uint64_t first = 0, slots = 0;
    std::uint32_t stride = 1;
  };
  RingView view(std::size_t k, bool producer) {
    Stage& st = stages_[k];
    if (st.direct) {
      ChannelState& ch = *st.state;
      return RingView{ch.ring_data(), producer ? ch.sent() : ch.received(), ch.slot_count(),
                      static_cast<std::uint32_t>(ch.width())};
    }
    return RingView{buffers_[k].data(), producer ? st.read + st.held : st.read, st.mask + 1,
                    stride_of(st)};
  }

  // Each unit's firings of the batch, in topological order, in as many fire_batch calls as it
  // takes for none of its rings to wrap round inside one (a call sees its tokens in order, a
  // stride apart).
  void run_batch(std::uint64_t periods) {
    RingView ins[2], outs[2];
    for (const Group& g : groups_) {
      BatchIO io;
      io.in_by_reference = 0;
      for (int i = 0; i < g.nin; ++i) {
        const auto k = static_cast<std::size_t>(g.in_stage[i]);
        ins[i] = view(k, false);
        io.in_stride[g.pin[i]] = ins[i].stride;
        if (stages_[k].state->by_reference()) io.in_by_reference |= 1u << g.pin[i];
      }
      for (int j = 0; j < g.nout; ++j) {
        outs[j] = view(static_cast<std::size_t>(g.out_stage[j]), true);
        io.out_stride[g.pout[j]] = outs[j].stride;
      }
      const std::uint64_t firings = periods * g.per_period;
      for (std::uint64_t done = 0; done < firings;) {
        std::uint64_t count = firings - done;
        for (int i = 0; i < g.nin; ++i) {
          const std::uint64_t slot = (ins[i].first + done) & (ins[i].slots - 1);
          count = std::min(count, ins[i].slots - slot);
          io.in[g.pin[i]] = ins[i].base + slot * ins[i].stride;
        }
        for (int j = 0; j < g.nout; ++j) {
          const std::uint64_t slot = (outs[j].first + done) & (outs[j].slots - 1);
          count = std::min(count, outs[j].slots - slot);
          io.out[g.pout[j]] = outs[j].base + slot * outs[j].stride;
        }
        g.unit->fire_batch(io, count);
        done += count;
      }
      batched_firings_ += firings;
    }
    for (Stage& st : stages_) {
      const std::uint64_t moved = periods * st.moved;
      st.state->replay_advance(moved, moved);
      st.read += moved;
    }
  }

  // A batch stages at most kStageDoubles doubles (256 KiB: the tokens stay in the L2 cache
  // between their producer's loop and their consumer's) and runs at most kMaxBatchPeriods
  // periods.
  static constexpr std::uint64_t kStageDoubles = std::uint64_t{1} << 15;
  static constexpr std::uint64_t kMaxBatchPeriods = 1024;

  std::vector<Stage> stages_;
  std::vector<Group> groups_;               // in topological order after plan()
  std::vector<int> stage_of_;               // per channel: its stage, -1 if it moves nothing
  std::vector<units::LineVector> buffers_;  // per stage
  std::uint64_t max_periods_ = 1;
  std::uint64_t batched_firings_ = 0;
};

}  // namespace streamsim::fast
