#include "sim/engines/fast/fast_engine.h"

#include <chrono>

#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/run_setup.h"

namespace streamsim {

namespace {

enum class UnitState : std::uint8_t { Ready, Parked, Done, Stopped };
enum class FiringPhase : std::uint8_t { Start, Reading, Sending };

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
  // Where the current firing is (a unit may block part-way through one).
  FiringPhase phase = FiringPhase::Start;
  std::uint32_t rule_reads = 0, rule_writes = 0;
  std::uint32_t pending = 0;  // reads not yet dequeued, or writes not yet sent
  Cycle stamp = 0, firing_ii = 1;
  FiringIO io;
  // Per-port space for tokens held across a block (allocated once, before the run).
  std::vector<std::vector<double>> stash_in, stash_out;
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
      for (const Port& p : fu.unit->inputs()) fu.stash_in.emplace_back(static_cast<std::size_t>(p.width));
      for (const Port& p : fu.unit->outputs()) fu.stash_out.emplace_back(static_cast<std::size_t>(p.width));
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

  // Parks a unit in the middle of its reads: the tokens it already dequeued (their slots are
  // free for the producer now) are copied aside so the producer may overwrite the slots.
  void park_reading(FastUnit& fu, Cycle clock, int port) {
    for (std::uint32_t m = fu.rule_reads & ~fu.pending; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      double* stash = fu.stash_in[p].data();
      if (fu.io.in[p] != stash) {
        std::copy(fu.io.in[p], fu.io.in[p] + fu.stash_in[p].size(), stash);
        fu.io.in[p] = stash;
      }
    }
    park(fu, clock, fu.in_channel[port], true);
  }

  // True if a firing with this rule could start now; otherwise parks or finishes the unit.
  // Used only once a unit's clock has reached max_cycles, to tell "stopped by the limit"
  // from "blocked" and "ended" exactly as the SystemC engine does.
  bool firing_could_start(FastUnit& fu, const FiringRule& rule, Cycle clock) {
    for (std::uint32_t m = rule.reads; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      if (fu.in[p]->can_receive()) continue;
      if (units_[channels_[fu.in_channel[p]].producer].state == UnitState::Done) finish_unit(fu, clock);
      else park(fu, clock, fu.in_channel[p], true);
      return false;
    }
    for (std::uint32_t m = rule.writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      if (fu.out[p]->can_send()) continue;
      if (units_[channels_[fu.out_channel[p]].consumer].state == UnitState::Done) finish_unit(fu, clock);
      else park(fu, clock, fu.out_channel[p], false);
      return false;
    }
    return true;
  }

  // Runs one unit until it blocks, finishes, or reaches max_cycles. This is the hot loop.
  // As in DAM, a firing dequeues its inputs one at a time (each dequeue frees its slot at
  // once, even if a later input then blocks) and sends its outputs one at a time (an output
  // is delivered even if a later one then waits for credit). A unit blocked part-way through
  // a firing resumes where it stopped.
  void run_unit(FastUnit& fu) {
    Unit& unit = *fu.unit;
    Cycle clock = fu.clock;
    const Cycle limit = options_.max_cycles > 0 ? options_.max_cycles : INT64_MAX;
    FiringIO& io = fu.io;
    for (;;) {
      if (fu.phase == FiringPhase::Start) {
        const FiringRule& rule = unit.rule();
        if (rule.done) return finish_unit(fu, clock);
        if (clock >= limit) {
          if (!firing_could_start(fu, rule, clock)) return;
          fu.clock = clock;
          fu.state = UnitState::Stopped;
          return;
        }
        fu.rule_reads = rule.reads;
        fu.rule_writes = rule.writes;
        fu.pending = rule.reads;
        fu.phase = FiringPhase::Reading;
      }
      if (fu.phase == FiringPhase::Reading) {
        // Blocking dequeues in port order, each at max(clock, visible time).
        while (fu.pending) {
          const int p = __builtin_ctz(fu.pending);
          ChannelState* ch = fu.in[p];
          if (!ch->can_receive()) {
            // End of stream: an empty input whose producer has finished ends this unit too.
            if (units_[channels_[fu.in_channel[p]].producer].state == UnitState::Done)
              return finish_unit(fu, clock);
            return park_reading(fu, clock, p);
          }
          clock = std::max(clock, ch->front_visible());
          io.in[p] = ch->front_data();
          ch->commit_receive(clock);
          FastChannel& fc = channels_[fu.in_channel[p]];
          if (fc.producer_parked) {
            fc.producer_parked = false;
            wake(fc.producer);
          }
          fu.pending &= fu.pending - 1;
        }
        // Outputs with a free slot are computed straight into the channel, others aside.
        for (std::uint32_t m = fu.rule_writes; m; m &= m - 1) {
          const int p = __builtin_ctz(m);
          io.out[p] = fu.out[p]->can_send() ? fu.out[p]->back_data() : fu.stash_out[p].data();
        }
        unit.fire(io);
        fu.stamp = clock + unit.firing_latency();
        fu.firing_ii = unit.firing_ii();
        fu.pending = fu.rule_writes;
        fu.phase = FiringPhase::Sending;
      }
      // Sends in port order, each waiting for its slot's credit; latency overlaps back-pressure.
      while (fu.pending) {
        const int p = __builtin_ctz(fu.pending);
        ChannelState* ch = fu.out[p];
        if (!ch->can_send()) {
          // A full output whose consumer has finished will never drain.
          if (units_[channels_[fu.out_channel[p]].consumer].state == UnitState::Done)
            return finish_unit(fu, clock);
          return park(fu, clock, fu.out_channel[p], false);
        }
        if (io.out[p] != ch->back_data()) {
          const double* stash = io.out[p];
          std::copy(stash, stash + fu.stash_out[p].size(), ch->back_data());
        }
        clock = std::max(clock, ch->credit_time());
        ch->commit_send(clock, std::max(fu.stamp, clock + ch->latency()));
        FastChannel& fc = channels_[fu.out_channel[p]];
        if (fc.consumer_parked) {
          fc.consumer_parked = false;
          wake(fc.consumer);
        }
        fu.pending &= fu.pending - 1;
      }
      clock += fu.firing_ii;
      fu.busy += fu.firing_ii;
      ++fu.firings;
      fu.phase = FiringPhase::Start;
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
