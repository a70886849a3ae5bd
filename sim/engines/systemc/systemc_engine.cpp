// The systemc engine: the timing contract as a discrete-event simulation on the SystemC kernel.
//
// Mapping: 1 cycle = 1 ns of kernel time (resolution 1 ns); every unit is a thread process
// (ScUnitProcess) whose clock is the kernel time; every channel is an ScChannel, i.e. the
// shared ChannelState plus a data-arrival and a credit-return event. A run is over when the
// kernel starves (sc_start returns: no runnable process, no pending notification). Units that
// are then neither finished nor stopped are blocked for good: a deadlock, diagnosed by
// deadlock_analysis with the same inputs as the fast engine.
//
// Many runs in one process. SystemC elaborates once and cannot be reset, and primitive
// channels cannot be created after elaboration. So there is one kernel for the whole process
// (ScKernel) and a run is a phase of it, between sc_start calls:
//   1. build units, channel states and ScChannels (plain objects with sc_events, which may be
//      created at any time), and sc_spawn one thread per unit (allowed while paused);
//   2. sc_start() until starvation; the run's cycle 0 is the kernel time when it started,
//      so kernel time keeps growing across runs and each run measures from its own base;
//   3. read the statistics;
//   4. end the processes still waiting (deadlocked, or parked behind a stopped unit): set
//      the run's `aborting` flag, notify the event each one waits on, and sc_start() again so
//      they return normally. (sc_process_handle::kill between sc_start calls crashes SystemC
//      2.3.4, and a terminated dynamic process is freed by the kernel, stack included.)
//   5. only then destroy channels and events, so no process can touch freed memory.
// Runs are serialised by the kernel's mutex; a unit throwing aborts its run the same way and
// the exception is rethrown from run().
#include "sim/engines/systemc/systemc_engine.h"

#include <chrono>
#include <climits>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/run_limits.h"
#include "sim/engines/run_setup.h"
#include "sim/engines/systemc/sc_channel.h"
#include "sim/engines/systemc/sc_kernel.h"
#include "sim/engines/systemc/sc_unit_process.h"

namespace streamsim {

namespace {

// Thread stacks are allocated by the kernel per process; units may call deep code in fire().
constexpr std::size_t kThreadStackBytes = 256 * 1024;

// Each thread's stack is its own memory mapping plus a guard page, and Linux caps a process's
// mappings (vm.max_map_count, 65530 by default): past about 30,000 units SystemC's stack
// allocation fails in the middle of spawning. Refuse such a graph before anything is spawned.
void check_thread_capacity(int units) {
  std::ifstream in("/proc/sys/vm/max_map_count");
  long long max_maps = 0;
  if (!(in >> max_maps) || max_maps <= 0) return;  // not Linux, or not readable: let SystemC try
  constexpr long long kMapsPerThread = 2, kMapsReserved = 4096;  // the process's own mappings
  const long long threads = static_cast<long long>(units) + 1;   // + the progress monitor
  const long long fit = (max_maps - kMapsReserved) / kMapsPerThread;
  if (threads <= fit) return;
  throw Error("the systemc engine runs each unit as a SystemC thread with its own " +
              std::to_string(kThreadStackBytes / 1024) + " KiB stack; this graph has " +
              std::to_string(units) +
              " units but the kernel's limit on memory mappings (vm.max_map_count = " +
              std::to_string(max_maps) + ") allows about " + std::to_string(fit) +
              " threads. Use --engine fast (no per-unit threads; same results), or raise the limit "
              "(sysctl -w vm.max_map_count=" +
              std::to_string((threads * kMapsPerThread + kMapsReserved) * 2) + ")");
}

class ScRun {
 public:
  ScRun(const Graph& graph, const RunOptions& options, RunSetup& setup)
      : graph_(graph), setup_(setup) {
    context_.base = ScKernel::now();
    context_.limit = setup.horizon;
    bounded_ = options.max_cycles > 0;
    check_kernel_time(setup.delays);
    for (int c = 0; c < graph.channel_count(); ++c)
      channels_.push_back(std::make_unique<ScChannel>(*setup.channels[c], c));
    for (auto& u : setup.units) processes_.push_back(std::make_unique<ScUnitProcess>(*u, context_));
    for (int c = 0; c < graph.channel_count(); ++c) {
      const ChannelSpec& spec = graph.channel(c);
      processes_[spec.src]->connect_output(spec.src_port, channels_[c].get());
      processes_[spec.dst]->connect_input(spec.dst_port, channels_[c].get());
    }
  }

  // sc_time is a 64-bit count of 1 ns ticks, and kernel time keeps growing across the runs of
  // one process (each measures from its base). This run reaches at most base + horizon + twice
  // the delay sum + one monitor wait (sim/core/time_limits.h): it must fit, or the kernel would
  // wrap around (and wait forever) instead of ending the run.
  void check_kernel_time(Cycle delay_sum) const {
    const auto reach = static_cast<std::uint64_t>(context_.limit) +
                       2 * static_cast<std::uint64_t>(delay_sum) + kMaxMonitorPeriod;
    const auto base = static_cast<std::uint64_t>(context_.base);
    if (base > std::numeric_limits<std::uint64_t>::max() - reach)
      throw Error("systemc engine: the SystemC kernel of this process is at " +
                  std::to_string(base) + " ns after earlier runs, and this run may need " +
                  std::to_string(reach) +
                  " ns more, past its 64-bit time; run it in a new process (each `streamsim "
                  "run` is one) or give it a smaller --max-cycles");
  }

  // With a monitor, one more process polls it every `period` cycles of kernel time, adapting
  // the period so that polls come every 10..100 ms of host time. It touches no channel, so the
  // run's timing is unchanged; it leaves as soon as nothing else is pending (otherwise its own
  // waits would keep the kernel from ever starving), and on a stop request it pauses the kernel.
  void spawn_monitor(RunMonitor* monitor) {
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(kThreadStackBytes);
    sc_core::sc_spawn(
        [this, monitor] {
          Cycle period = 1024;
          auto last = std::chrono::steady_clock::now();
          for (;;) {
            sc_core::wait(ScKernel::cycles(period));
            if (!sc_core::sc_pending_activity() || context_.aborting) return;
            const auto now = std::chrono::steady_clock::now();
            const double seconds = std::chrono::duration<double>(now - last).count();
            last = now;
            // Long stretches without events (huge latencies) are crossed in few polls.
            if (seconds < 0.01 && period < kMaxMonitorPeriod) period *= 2;
            if (seconds > 0.1 && period > 1) period /= 2;
            Cycle largest = 0;
            for (const auto& p : processes_) largest = std::max(largest, p->clock());
            if (!monitor->poll(setup_.progress(largest))) {
              interrupted_ = true;
              sc_core::sc_pause();
              return;
            }
          }
        },
        nullptr, &opts);
  }

  void spawn() {
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(kThreadStackBytes);
    for (auto& p : processes_) {
      ScUnitProcess* process = p.get();
      sc_core::sc_spawn([process] { process->run(); }, nullptr, &opts);
    }
  }

  void collect(RunResult& result) {
    bool blocked = false, stopped = false;
    std::size_t last_stopped = 0;  // the stopped unit with the largest clock
    std::vector<BlockInfo> blocks(processes_.size());
    for (std::size_t u = 0; u < processes_.size(); ++u) {
      const ScUnitProcess& p = *processes_[u];
      UnitStats s;
      s.name = p.unit().name();
      s.type = p.unit().type();
      s.final_clock = p.clock();
      s.busy_cycles = p.busy();
      s.firings = p.firings();
      result.units.push_back(s);
      result.cycles = std::max(result.cycles, p.clock());
      if (p.state() == ScUnitState::Blocked) {
        blocked = true;
        blocks[u] = p.block();
      }
      if (p.state() == ScUnitState::Stopped) {
        if (!stopped || p.clock() > result.units[last_stopped].final_clock) last_stopped = u;
        stopped = true;
      }
    }
    // Without --max-cycles the horizon is kMaxTime: reaching it is an error, not a result.
    if (stopped && !bounded_ && !interrupted_) {
      time_horizon_ = true;
      horizon_unit_ = result.units[last_stopped].name;
      horizon_clock_ = result.units[last_stopped].final_clock;
    }
    if (interrupted_) {
      result.status = RunStatus::Interrupted;
    } else if (stopped) {
      result.status = RunStatus::MaxCycles;
    } else if (blocked) {
      result.status = RunStatus::Deadlock;
      std::vector<const ChannelState*> states;
      for (auto& c : setup_.channels) states.push_back(c.get());
      result.deadlock = analyse_deadlock(graph_, blocks, states, setup_.units, result.cycles);
    }
  }

  // Ends every process still waiting (step 4 above). Returns true if the kernel must run.
  bool abort_waiting() {
    context_.aborting = true;
    bool any = interrupted_;  // processes may be waiting for time to pass, not on an event
    for (auto& p : processes_) {
      if (sc_core::sc_event* e = p->waited_event()) {
        e->notify(sc_core::SC_ZERO_TIME);
        any = true;
      }
    }
    return any;
  }

  // After the processes have ended: a unit's exception, or the run having reached kMaxTime.
  void rethrow_failure() const {
    if (context_.failure) std::rethrow_exception(context_.failure);
    if (time_horizon_) throw_time_horizon(horizon_unit_, horizon_clock_);
  }

  static constexpr Cycle kMaxMonitorPeriod = Cycle{1} << 56;

 private:
  const Graph& graph_;
  RunSetup& setup_;
  ScRunContext context_;
  std::vector<std::unique_ptr<ScChannel>> channels_;
  std::vector<std::unique_ptr<ScUnitProcess>> processes_;
  bool interrupted_ = false;
  bool bounded_ = false;  // the user gave max_cycles (else the horizon is kMaxTime)
  bool time_horizon_ = false;
  std::string horizon_unit_;
  Cycle horizon_clock_ = 0;
};

}  // namespace

RunResult SystemCEngine::run(const Graph& graph, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  check_thread_capacity(graph.unit_count());
  RunSetup setup(graph, options);
  ScKernel& kernel = ScKernel::instance();
  RunResult result;
  result.engine = name();
  {
    std::lock_guard<std::mutex> lock(kernel.mutex());
    ScRun run(graph, options, setup);
    run.spawn();
    if (options.monitor) run.spawn_monitor(options.monitor);
    kernel.run_until_starved();
    run.collect(result);
    if (run.abort_waiting()) kernel.run_until_starved();
    run.rethrow_failure();
  }
  setup.finish(result);
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace streamsim
