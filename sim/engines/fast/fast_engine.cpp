#include "sim/engines/fast/fast_engine.h"

#include <chrono>

#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/run_setup.h"

namespace streamsim {

namespace {

enum class UnitState : std::uint8_t { Ready, Parked, Done, Stopped };

// A channel as the fast engine sees it: its timing state, its two ends, and whether either end
// is parked on it (so a transfer wakes the other side only when someone waits).
struct FastUnit;

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
  int input_count = 0, output_count = 0;
  FastChannel* in[kMaxPorts] = {};
  FastChannel* out[kMaxPorts] = {};
};

class FastRun {
 public:
  FastRun(const Graph& graph, const RunOptions& options, RunSetup& setup)
      : graph_(graph),
        limit_(options.max_cycles > 0 ? options.max_cycles : INT64_MAX),
        setup_(setup) {
    units_.resize(setup.units.size());
    channels_.resize(setup.channels.size());
    for (std::size_t u = 0; u < units_.size(); ++u) {
      units_[u].unit = setup.units[u].get();
      units_[u].input_count = static_cast<int>(units_[u].unit->inputs().size());
      units_[u].output_count = static_cast<int>(units_[u].unit->outputs().size());
    }
    for (int c = 0; c < graph.channel_count(); ++c) {
      const ChannelSpec& spec = graph.channel(c);
      FastChannel& fc = channels_[c];
      fc.state = setup.channels[c].get();
      fc.index = c;
      fc.producer = &units_[spec.src];
      fc.consumer = &units_[spec.dst];
      units_[spec.src].out[spec.src_port] = &fc;
      units_[spec.dst].in[spec.dst_port] = &fc;
    }
    // A unit is on the ready stack at most once (only a parked unit is pushed), so this
    // reservation is never exceeded and pushing never allocates.
    ready_.reserve(units_.size());
    for (std::size_t u = units_.size(); u-- > 0;) ready_.push_back(&units_[u]);
  }

  void execute() {
    while (!ready_.empty()) {
      FastUnit* fu = ready_.back();
      ready_.pop_back();
      run_unit(*fu);
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
  void park(FastUnit& fu, FastChannel& fc, bool on_input) {
    fu.state = UnitState::Parked;
    fu.block = BlockInfo{fc.index, on_input};
    if (on_input) fc.consumer_parked = true;
    else fc.producer_parked = true;
  }

  // A finished unit closes its channels: wake the units parked on them so they see it.
  void finish_unit(FastUnit& fu) {
    fu.state = UnitState::Done;
    for (int p = 0; p < fu.output_count; ++p) wake_consumer(*fu.out[p]);
    for (int p = 0; p < fu.input_count; ++p) wake_producer(*fu.in[p]);
  }

  void wake_consumer(FastChannel& fc) {
    if (!fc.consumer_parked) return;
    fc.consumer_parked = false;
    wake(fc.consumer);
  }
  void wake_producer(FastChannel& fc) {
    if (!fc.producer_parked) return;
    fc.producer_parked = false;
    wake(fc.producer);
  }

  void wake(FastUnit* fu) {
    if (fu->state != UnitState::Parked) return;
    fu->state = UnitState::Ready;
    fu->block = BlockInfo{};
    ready_.push_back(fu);
  }

  // Runs one unit until it blocks, finishes, or passes max_cycles. This is the hot loop.
  void run_unit(FastUnit& fu) {
    const FiringRule& rule = fu.unit->rule();
    for (;;) {
      if (rule.done) return finish_unit(fu);
      const bool single = (rule.reads & (rule.reads - 1)) == 0 && (rule.writes & (rule.writes - 1)) == 0;
      if (single ? !run_single_port_firings(fu) : !fire_general(fu)) return;
    }
  }

  // The common case (sources, sinks, maps, ...): fires repeatedly while the rule reads at most
  // one input and writes at most one output. Returns false when the unit stopped (blocked,
  // finished or stopped), true when its rule changed shape.
  bool run_single_port_firings(FastUnit& fu) {
    const FiringRule& rule = fu.unit->rule();
    if (rule.reads) return rule.writes ? single_port_loop<true, true>(fu) : single_port_loop<true, false>(fu);
    return rule.writes ? single_port_loop<false, true>(fu) : single_port_loop<false, false>(fu);
  }

  // The loop of run_single_port_firings for one shape (with or without an input, an output), so
  // that the compiler keeps both channels and the clock in registers and tests nothing it knows.
  // The timing is exactly fire_general's for such a rule.
  template <bool kIn, bool kOut>
  bool single_port_loop(FastUnit& fu) {
    Unit& unit = *fu.unit;
    const FiringRule& rule = unit.rule();
    const std::uint32_t reads = rule.reads, writes = rule.writes;
    const int pin = kIn ? __builtin_ctz(reads) : 0;
    const int pout = kOut ? __builtin_ctz(writes) : 0;
    FastChannel* const in = kIn ? fu.in[pin] : nullptr;
    FastChannel* const out = kOut ? fu.out[pout] : nullptr;
    ChannelState* const ich = kIn ? in->state : nullptr;
    ChannelState* const och = kOut ? out->state : nullptr;
    (void)ich;
    (void)och;
    const Cycle limit = limit_;
    // The clock and counters live in locals (registers) while the unit runs.
    Cycle clock = fu.clock, busy = 0;
    std::uint64_t firings = 0;
    FiringIO io;
    bool running = true;
    do {
      if constexpr (kIn) {
        if (!ich->can_receive()) {
          blocked_on_input(fu, *in);
          running = false;
          break;
        }
      }
      if constexpr (kOut) {
        if (!och->can_send()) {
          blocked_on_output(fu, *out);
          running = false;
          break;
        }
      }
      if (clock >= limit) {
        fu.state = UnitState::Stopped;
        running = false;
        break;
      }
      Cycle dequeue_time = clock;
      if constexpr (kIn) {
        clock = std::max(clock, ich->front_visible());
        dequeue_time = clock;
        io.in[pin] = ich->front_data();
      }
      if constexpr (kOut) io.out[pout] = och->back_data();
      unit.fire(io);
      if constexpr (kIn) {
        ich->commit_receive(dequeue_time);
        wake_producer(*in);
      }
      if constexpr (kOut) {
        const Cycle stamp = clock + unit.firing_latency();
        clock = std::max(clock, och->credit_time());
        och->commit_send(clock, std::max(stamp, clock + och->latency()));
        wake_consumer(*out);
      }
      const Cycle ii = unit.firing_ii();
      clock += ii;
      busy += ii;
      ++firings;
    } while (!rule.done && rule.reads == reads && rule.writes == writes);
    fu.clock = clock;
    fu.busy += busy;
    fu.firings += firings;
    return running;
  }

  // One firing under any rule. Returns false if the unit could not fire (blocked or stopped).
  bool fire_general(FastUnit& fu) {
    Unit& unit = *fu.unit;
    const FiringRule& rule = unit.rule();
    const std::uint32_t reads = rule.reads, writes = rule.writes;
    if (!ready_to_fire(fu, reads, writes)) return false;
    if (fu.clock >= limit_) {
      fu.state = UnitState::Stopped;
      return false;
    }
    Cycle clock = fu.clock;
    FiringIO io;
    Cycle dequeue_time[kMaxPorts];
    // Blocking dequeues, in port order: each waits until its element is visible.
    for (std::uint32_t m = reads; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      const ChannelState* ch = fu.in[p]->state;
      clock = std::max(clock, ch->front_visible());
      dequeue_time[p] = clock;
      io.in[p] = ch->front_data();
    }
    for (std::uint32_t m = writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      io.out[p] = fu.out[p]->state->back_data();
    }
    unit.fire(io);
    for (std::uint32_t m = reads; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      FastChannel& fc = *fu.in[p];
      fc.state->commit_receive(dequeue_time[p]);
      wake_producer(fc);
    }
    // Sends, in port order: wait for the slot's credit; latency overlaps back-pressure.
    const Cycle stamp = clock + unit.firing_latency();
    for (std::uint32_t m = writes; m; m &= m - 1) {
      const int p = __builtin_ctz(m);
      FastChannel& fc = *fu.out[p];
      ChannelState* ch = fc.state;
      clock = std::max(clock, ch->credit_time());
      ch->commit_send(clock, std::max(stamp, clock + ch->latency()));
      wake_consumer(fc);
    }
    const Cycle ii = unit.firing_ii();
    fu.clock = clock + ii;
    fu.busy += ii;
    ++fu.firings;
    return true;
  }

  // End of stream: an empty input whose producer has finished ends this unit too.
  void blocked_on_input(FastUnit& fu, FastChannel& fc) {
    if (fc.producer->state == UnitState::Done) finish_unit(fu);
    else park(fu, fc, true);
  }
  // A full output whose consumer has finished will never drain.
  void blocked_on_output(FastUnit& fu, FastChannel& fc) {
    if (fc.consumer->state == UnitState::Done) finish_unit(fu);
    else park(fu, fc, false);
  }

  // Whether every input the rule reads holds a token and every output it writes has room.
  // If not, the unit finishes (end of stream) or parks on the first port that blocks.
  bool ready_to_fire(FastUnit& fu, std::uint32_t reads, std::uint32_t writes) {
    for (std::uint32_t m = reads; m; m &= m - 1) {
      FastChannel& fc = *fu.in[__builtin_ctz(m)];
      if (!fc.state->can_receive()) {
        blocked_on_input(fu, fc);
        return false;
      }
    }
    for (std::uint32_t m = writes; m; m &= m - 1) {
      FastChannel& fc = *fu.out[__builtin_ctz(m)];
      if (!fc.state->can_send()) {
        blocked_on_output(fu, fc);
        return false;
      }
    }
    return true;
  }

  const Graph& graph_;
  const Cycle limit_;
  RunSetup& setup_;
  std::vector<FastUnit> units_;
  std::vector<FastChannel> channels_;
  std::vector<FastUnit*> ready_;
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
