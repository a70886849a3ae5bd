#include "sim/engines/fast/fast_engine.h"

#include <chrono>

#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/run_setup.h"

namespace streamsim {

namespace {

enum class UnitState : std::uint8_t { Ready, Parked, Done, Stopped };

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
    for (std::size_t u = 0; u < units_.size(); ++u) units_[u].unit = setup.units[u].get();
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

  // Runs one unit until it blocks, finishes, or passes max_cycles. This is the hot loop.
  void run_unit(FastUnit& fu) {
    Unit& unit = *fu.unit;
    Cycle clock = fu.clock;
    const Cycle limit = options_.max_cycles > 0 ? options_.max_cycles : INT64_MAX;
    FiringIO io;
    Cycle dequeue_time[kMaxPorts];
    for (;;) {
      const FiringRule rule = unit.rule();
      if (rule.done) return finish_unit(fu, clock);
      for (std::uint32_t m = rule.reads; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        if (!fu.in[p]->can_receive()) {
          // End of stream: an empty input whose producer has finished ends this unit too.
          if (units_[channels_[fu.in_channel[p]].producer].state == UnitState::Done)
            return finish_unit(fu, clock);
          return park(fu, clock, fu.in_channel[p], true);
        }
      }
      for (std::uint32_t m = rule.writes; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        if (!fu.out[p]->can_send()) {
          // A full output whose consumer has finished will never drain.
          if (units_[channels_[fu.out_channel[p]].consumer].state == UnitState::Done)
            return finish_unit(fu, clock);
          return park(fu, clock, fu.out_channel[p], false);
        }
      }
      if (clock >= limit) {
        fu.clock = clock;
        fu.state = UnitState::Stopped;
        return;
      }
      // Blocking dequeues, in port order: each waits until its element is visible.
      for (std::uint32_t m = rule.reads; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        ChannelState* ch = fu.in[p];
        clock = std::max(clock, ch->front_visible());
        dequeue_time[p] = clock;
        io.in[p] = ch->front_data();
      }
      for (std::uint32_t m = rule.writes; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        io.out[p] = fu.out[p]->back_data();
      }
      unit.fire(io);
      for (std::uint32_t m = rule.reads; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        fu.in[p]->commit_receive(dequeue_time[p]);
        FastChannel& fc = channels_[fu.in_channel[p]];
        if (fc.producer_parked) {
          fc.producer_parked = false;
          wake(fc.producer);
        }
      }
      // Sends, in port order: wait for the slot's credit; latency overlaps back-pressure.
      const Cycle stamp = clock + unit.firing_latency();
      for (std::uint32_t m = rule.writes; m; m &= m - 1) {
        int p = __builtin_ctz(m);
        ChannelState* ch = fu.out[p];
        clock = std::max(clock, ch->credit_time());
        ch->commit_send(clock, std::max(stamp, clock + ch->latency()));
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
