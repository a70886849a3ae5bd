#include "sim/engines/fast/fast_engine.h"

#include <chrono>

#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/run_setup.h"

namespace streamsim {

namespace {

enum class UnitState : std::uint8_t { Ready, Parked, Done, Stopped };

// Where a unit is within its current firing. Dequeues and sends block one port at a time
// (as in DAM and in the systemc engine), so a unit can park between two of them and must
// resume exactly there.
enum class Phase : std::uint8_t { Start, Reading, Sending };

struct FastUnit {
  Unit* unit = nullptr;
  Cycle clock = 0;
  Cycle busy = 0;
  std::uint64_t firings = 0;
  UnitState state = UnitState::Ready;
  BlockInfo block;
  ChannelState* in[kMaxPorts] = {};
  ChannelState* out[kMaxPorts] = {};
  int in_channel[kMaxPorts] = {};
  int out_channel[kMaxPorts] = {};
  // The firing in progress (kept across parking).
  Phase phase = Phase::Start;
  FiringRule rule;
  std::uint32_t pending = 0;  // ports of the current phase not yet dequeued / sent
  std::uint32_t staged = 0;   // outputs fired into out_stage (their channel was full)
  Cycle stamp = 0;
  FiringIO io;
  // Copies of tokens dequeued before the unit parked later in the same firing (their slots
  // are released to the sender), and of outputs fired while their channel was full.
  std::vector<std::vector<double>> in_stage, out_stage;
};

struct FastChannel {
  int producer = -1, consumer = -1;
  bool producer_parked = false, consumer_parked = false;
};

class FastRun {
 public:
  FastRun(const Graph& graph, const RunOptions& options, RunSetup& setup)
      : graph_(graph), options_(options), setup_(setup) {
    units_.resize(setup.units.size());
    channels_.resize(setup.channels.size());
    for (std::size_t u = 0; u < units_.size(); ++u) {
      FastUnit& fu = units_[u];
      fu.unit = setup.units[u].get();
      for (const Port& p : fu.unit->inputs()) fu.in_stage.emplace_back(static_cast<std::size_t>(p.width));
      for (const Port& p : fu.unit->outputs()) fu.out_stage.emplace_back(static_cast<std::size_t>(p.width));
    }
    for (int c = 0; c < graph.channel_count(); ++c) {
      const ChannelSpec& spec = graph.channel(c);
      channels_[c].producer = spec.src;
      channels_[c].consumer = spec.dst;
      units_[spec.src].out[spec.src_port] = setup.channels[c].get();
      units_[spec.src].out_channel[spec.src_port] = c;
      units_[spec.dst].in[spec.dst_port] = setup.channels[c].get();
      units_[spec.dst].in_channel[spec.dst_port] = c;
    }
    ready_.reserve(units_.size());
    for (std::size_t u = units_.size(); u-- > 0;) ready_.push_back(static_cast<int>(u));
  }

  void execute() {
    while (!ready_.empty()) {
      int u = ready_.back();
      ready_.pop_back();
      run_unit(units_[u]);
    }
  }

  void collect(RunResult& result) {
    bool deadlocked = false, stopped = false;
    std::vector<BlockInfo> blocks(units_.size());
    for (std::size_t u = 0; u < units_.size(); ++u) {
      FastUnit& fu = units_[u];
      UnitStats s;
      s.name = fu.unit->name();
      s.type = fu.unit->type();
      s.final_clock = fu.clock;
      s.busy_cycles = fu.busy;
      s.firings = fu.firings;
      result.units.push_back(s);
      result.cycles = std::max(result.cycles, fu.clock);
      if (fu.state == UnitState::Parked) {
        deadlocked = true;
        blocks[u] = fu.block;
      }
      stopped = stopped || fu.state == UnitState::Stopped;
    }
    if (stopped) {
      result.status = RunStatus::MaxCycles;
    } else if (deadlocked) {
      result.status = RunStatus::Deadlock;
      std::vector<const ChannelState*> states;
      for (auto& c : setup_.channels) states.push_back(c.get());
      result.deadlock = analyse_deadlock(graph_, blocks, states, setup_.units, result.cycles);
    }
  }

 private:
  void park(FastUnit& fu, Cycle clock, int channel, bool on_input) {
    fu.clock = clock;
    fu.state = UnitState::Parked;
    fu.block = BlockInfo{channel, on_input};
    if (on_input) channels_[channel].consumer_parked = true;
    else channels_[channel].producer_parked = true;
  }

  // A finished unit closes its channels: wake the units parked on them so they see it.
  void finish_unit(FastUnit& fu, Cycle clock) {
    fu.clock = clock;
    fu.state = UnitState::Done;
    for (std::size_t p = 0; p < fu.unit->outputs().size(); ++p) {
      FastChannel& fc = channels_[fu.out_channel[p]];
      if (fc.consumer_parked) {
        fc.consumer_parked = false;
        wake(fc.consumer);
      }
    }
    for (std::size_t p = 0; p < fu.unit->inputs().size(); ++p) {
      FastChannel& fc = channels_[fu.in_channel[p]];
      if (fc.producer_parked) {
        fc.producer_parked = false;
        wake(fc.producer);
      }
    }
  }

  void wake(int unit) {
    FastUnit& fu = units_[unit];
    if (fu.state != UnitState::Parked) return;
    fu.state = UnitState::Ready;
    fu.block = BlockInfo{};
    ready_.push_back(unit);
  }

  // Releases the inputs dequeued so far in this firing (`held`): the firing has taken them,
  // so their slots go back to the senders (credit at dequeue time + R). Their values are
  // copied out first, as a sender may now overwrite the slots before the firing happens.
  void release_held(FastUnit& fu, std::uint32_t held, const Cycle* dequeue_time) {
    for (std::uint32_t m = held; m; m &= m - 1) {
      int p = __builtin_ctz(m);
      ChannelState* ch = fu.in[p];
      std::copy(ch->front_data(), ch->front_data() + ch->width(), fu.in_stage[p].data());
      fu.io.in[p] = fu.in_stage[p].data();
      commit_receive(fu, p, dequeue_time[p]);
    }
  }

  void commit_receive(FastUnit& fu, int p, Cycle dequeue_time) {
    fu.in[p]->commit_receive(dequeue_time);
    FastChannel& fc = channels_[fu.in_channel[p]];
    if (fc.producer_parked) {
      fc.producer_parked = false;
      wake(fc.producer);
    }
  }

  // At or past max_cycles no firing starts. The unit is stopped if it could fire, finished
  // if a channel it needs is closed, parked (nothing dequeued) if it must wait to know.
  void stop_or_park(FastUnit& fu, Cycle clock) {
    const FiringRule& rule = fu.rule;
    for (std::uint32_t m = rule.reads; m; m &= m - 1) {
      int p = __builtin_ctz(m);
      if (fu.in[p]->can_receive()) continue;
      if (units_[channels_[fu.in_channel[p]].producer].state == UnitState::Done) return finish_unit(fu, clock);
      return park(fu, clock, fu.in_channel[p], true);
    }
    for (std::uint32_t m = rule.writes; m; m &= m - 1) {
      int p = __builtin_ctz(m);
      if (fu.out[p]->can_send()) continue;
      if (units_[channels_[fu.out_channel[p]].consumer].state == UnitState::Done) return finish_unit(fu, clock);
      return park(fu, clock, fu.out_channel[p], false);
    }
    fu.clock = clock;
    fu.state = UnitState::Stopped;
  }

  // Runs one unit until it blocks, finishes, or reaches max_cycles. This is the hot loop.
  void run_unit(FastUnit& fu) {
    Unit& unit = *fu.unit;
    Cycle clock = fu.clock;
    const Cycle limit = options_.max_cycles > 0 ? options_.max_cycles : INT64_MAX;
    FiringIO& io = fu.io;
    Cycle dequeue_time[kMaxPorts];
    for (;;) {
      if (fu.phase == Phase::Start) {
        fu.rule = unit.rule();
        if (fu.rule.done) return finish_unit(fu, clock);
        if (clock >= limit) return stop_or_park(fu, clock);
        fu.pending = fu.rule.reads;
        fu.phase = Phase::Reading;
      }
      if (fu.phase == Phase::Reading) {
        // Blocking dequeues, in port order: each waits until its element is visible.
        std::uint32_t held = 0;
        for (std::uint32_t m = fu.pending; m; m &= m - 1) {
          int p = __builtin_ctz(m);
          ChannelState* ch = fu.in[p];
          if (!ch->can_receive()) {
            release_held(fu, held, dequeue_time);
            fu.pending = m;
            // End of stream: an empty input whose producer has finished ends this unit too.
            if (units_[channels_[fu.in_channel[p]].producer].state == UnitState::Done)
              return finish_unit(fu, clock);
            return park(fu, clock, fu.in_channel[p], true);
          }
          clock = std::max(clock, ch->front_visible());
          dequeue_time[p] = clock;
          io.in[p] = ch->front_data();
          held |= 1u << p;
        }
        // Outputs whose slot is free are fired straight into the channel, others into staging.
        fu.staged = 0;
        for (std::uint32_t m = fu.rule.writes; m; m &= m - 1) {
          int p = __builtin_ctz(m);
          if (fu.out[p]->can_send()) {
            io.out[p] = fu.out[p]->back_data();
          } else {
            io.out[p] = fu.out_stage[p].data();
            fu.staged |= 1u << p;
          }
        }
        unit.fire(io);
        for (std::uint32_t m = held; m; m &= m - 1) commit_receive(fu, __builtin_ctz(m), dequeue_time[__builtin_ctz(m)]);
        fu.stamp = clock + unit.firing_latency();
        fu.pending = fu.rule.writes;
        fu.phase = Phase::Sending;
      }
      // Sends, in port order: wait for the slot's credit; latency overlaps back-pressure.
      for (std::uint32_t m = fu.pending; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        ChannelState* ch = fu.out[p];
        if (!ch->can_send()) {
          fu.pending = m;
          // A full output whose consumer has finished will never drain.
          if (units_[channels_[fu.out_channel[p]].consumer].state == UnitState::Done)
            return finish_unit(fu, clock);
          return park(fu, clock, fu.out_channel[p], false);
        }
        clock = std::max(clock, ch->credit_time());
        if (fu.staged & (1u << p)) std::copy(fu.out_stage[p].begin(), fu.out_stage[p].end(), ch->back_data());
        ch->commit_send(clock, std::max(fu.stamp, clock + ch->latency()));
        FastChannel& fc = channels_[fu.out_channel[p]];
        if (fc.consumer_parked) {
          fc.consumer_parked = false;
          wake(fc.consumer);
        }
      }
      const Cycle ii = unit.firing_ii();
      clock += ii;
      fu.busy += ii;
      ++fu.firings;
      fu.phase = Phase::Start;
    }
  }

  const Graph& graph_;
  const RunOptions& options_;
  RunSetup& setup_;
  std::vector<FastUnit> units_;
  std::vector<FastChannel> channels_;
  std::vector<int> ready_;
};

}  // namespace

RunResult FastEngine::run(const Graph& graph, const RunOptions& options) {
  auto start = std::chrono::steady_clock::now();
  RunSetup setup(graph);
  FastRun run(graph, options, setup);
  run.execute();
  RunResult result;
  result.engine = name();
  run.collect(result);
  setup.finish(result);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace streamsim
