#pragma once
// Batched replay: a periodic replay's periods run unit by unit instead of firing by firing.
// While every unit of the period promises (Unit::steady_firings) to keep its rule, II and
// latency for B more periods, the periods' timing is known to repeat B times, so only the
// values remain to compute, and a unit's values depend on nothing but its own input tokens in
// order (each unit is a sequential process; channels are FIFOs). The units therefore fire in
// topological order, each B periods' firings in a row (Unit::fire_batch), every channel's B
// periods of tokens staged in a buffer of its own instead of its ring: the same firings on the
// same tokens, hence the same values, with no per-firing rule or timing check and each unit's
// loop kept hot. The tokens in flight at a period boundary move from the ring into the stage
// before a batch and back after it. docs/performance.md, step 20; docs/architecture.md.
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
      st.stride = st.state->by_reference() ? 1u : static_cast<std::uint32_t>(st.state->width());
      stages_.push_back(st);
    }
    for (const ReplayStep& s : steps)
      if (!add_step(s, channels)) return false;
    if (!order_groups()) return false;
    // Each stage's firings per period must account for exactly the tokens it moves.
    std::vector<std::uint64_t> produced(stages_.size(), 0), consumed(stages_.size(), 0);
    std::uint64_t doubles_per_period = 0;
    for (const Group& g : groups_) {
      for (int i = 0; i < g.nin; ++i) consumed[static_cast<std::size_t>(g.in_stage[i])] += g.per_period;
      for (int j = 0; j < g.nout; ++j) produced[static_cast<std::size_t>(g.out_stage[j])] += g.per_period;
    }
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      if (produced[k] != stages_[k].moved || consumed[k] != stages_[k].moved) return false;
      doubles_per_period += stages_[k].moved * stages_[k].stride;
    }
    max_periods_ = std::clamp<std::uint64_t>(kStageDoubles / std::max<std::uint64_t>(1, doubles_per_period),
                                             1, kMaxBatchPeriods);
    if (max_periods_ < kMinBatchPeriods) return false;
    buffers_.resize(std::max(buffers_.size(), stages_.size()));
    for (std::size_t k = 0; k < stages_.size(); ++k) {
      const Stage& st = stages_[k];
      buffers_[k].resize((st.held + max_periods_ * st.moved) * st.stride);
    }
    return true;
  }

  // Runs up to `periods` whole periods in batches, for as long as every unit promises at least
  // kMinBatchPeriods periods with the recorded rule and timing; returns the periods run. The
  // channels' counters are moved on by them and their rings hold the tokens then in flight,
  // exactly as if the periods had been replayed one firing at a time.
  std::uint64_t run(std::uint64_t periods) {
    std::uint64_t done = 0;
    while (periods - done >= kMinBatchPeriods) {
      std::uint64_t batch = std::min(periods - done, max_periods_);
      for (const Group& g : groups_) {
        const Unit& u = *g.unit;
        if (!same_shape(u.rule(), g.shape) || u.firing_ii() != g.ii ||
            u.firing_latency() != g.latency)
          return done;
        batch = std::min(batch, u.steady_firings() / g.per_period);
      }
      if (batch < kMinBatchPeriods) return done;
      run_batch(batch);
      done += batch;
    }
    return done;
  }

  std::uint64_t batched_firings() const { return batched_firings_; }

  // Fewer periods than this in a row are left to the per-firing replay (a batch has a fixed
  // cost: a promise asked per unit, the tokens in flight copied out and back).
  static constexpr std::uint64_t kMinBatchPeriods = 8;

 private:
  // A channel's tokens for a batch: the `held` tokens in flight when it began, then the
  // batch's `moved` per period. The consumer reads from index 0, the producer writes from held.
  struct Stage {
    ChannelState* state = nullptr;
    std::uint64_t moved = 0, held = 0;
    std::uint32_t stride = 1;  // doubles per token: the width, or 1 (a pointer) by reference
  };
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

  // Puts every group after the producers of its inputs (Kahn's algorithm); false on a cycle.
  bool order_groups() {
    const std::size_t n = groups_.size();
    std::vector<int> producer(stages_.size(), -1);
    for (std::size_t g = 0; g < n; ++g)
      for (int j = 0; j < groups_[g].nout; ++j)
        producer[static_cast<std::size_t>(groups_[g].out_stage[j])] = static_cast<int>(g);
    std::vector<int> waiting(n, 0);
    for (std::size_t g = 0; g < n; ++g)
      for (int i = 0; i < groups_[g].nin; ++i)
        if (producer[static_cast<std::size_t>(groups_[g].in_stage[i])] >= 0) ++waiting[g];
    std::vector<Group> ordered;
    ordered.reserve(n);
    std::vector<bool> placed(n, false);
    for (bool progress = true; progress && ordered.size() < n;) {
      progress = false;
      for (std::size_t g = 0; g < n; ++g) {
        if (placed[g] || waiting[g] > 0) continue;
        placed[g] = true;
        progress = true;
        ordered.push_back(groups_[g]);
        for (std::size_t h = 0; h < n; ++h)
          for (int i = 0; i < groups_[h].nin; ++i)
            if (producer[static_cast<std::size_t>(groups_[h].in_stage[i])] == static_cast<int>(g))
              --waiting[h];
      }
    }
    if (ordered.size() < n) return false;
    groups_.swap(ordered);
    return true;
  }

  void run_batch(std::uint64_t periods) {
    for (std::size_t k = 0; k < stages_.size(); ++k) {  // the tokens in flight, out of the rings
      const Stage& st = stages_[k];
      const std::uint64_t first = st.state->received();
      for (std::uint64_t i = 0; i < st.held; ++i)
        std::memcpy(buffers_[k].data() + i * st.stride, st.state->element_slot(first + i),
                    st.stride * sizeof(double));
    }
    for (const Group& g : groups_) {
      BatchIO io;
      io.in_by_reference = 0;
      for (int i = 0; i < g.nin; ++i) {
        const auto k = static_cast<std::size_t>(g.in_stage[i]);
        io.in[g.pin[i]] = buffers_[k].data();
        io.in_stride[g.pin[i]] = stages_[k].stride;
        if (stages_[k].state->by_reference()) io.in_by_reference |= 1u << g.pin[i];
      }
      for (int j = 0; j < g.nout; ++j) {
        const auto k = static_cast<std::size_t>(g.out_stage[j]);
        io.out[g.pout[j]] = buffers_[k].data() + stages_[k].held * stages_[k].stride;
        io.out_stride[g.pout[j]] = stages_[k].stride;
      }
      g.unit->fire_batch(io, periods * g.per_period);
      batched_firings_ += periods * g.per_period;
    }
    for (std::size_t k = 0; k < stages_.size(); ++k) {  // and the new ones back in
      const Stage& st = stages_[k];
      const std::uint64_t moved = periods * st.moved;
      st.state->replay_advance(moved, moved);
      const std::uint64_t first = st.state->received();
      for (std::uint64_t i = 0; i < st.held; ++i)
        std::memcpy(st.state->element_slot(first + i), buffers_[k].data() + (moved + i) * st.stride,
                    st.stride * sizeof(double));
    }
  }

  // A batch stages at most kStageDoubles doubles (256 KiB: the tokens stay in the L2 cache
  // between their producer's loop and their consumer's) and kMaxBatchPeriods periods.
  static constexpr std::uint64_t kStageDoubles = std::uint64_t{1} << 15;
  static constexpr std::uint64_t kMaxBatchPeriods = 1024;

  std::vector<Stage> stages_;
  std::vector<Group> groups_;          // in topological order after plan()
  std::vector<int> stage_of_;          // per channel: its stage, -1 if it moves nothing
  std::vector<units::LineVector> buffers_;  // per stage
  std::uint64_t max_periods_ = 1;
  std::uint64_t batched_firings_ = 0;
};

}  // namespace streamsim::fast
