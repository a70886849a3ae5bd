#pragma once
// An engine executes a validated graph under the timing contract of docs/timing-model.md.
#include <cstdint>
#include <memory>
#include <string>

#include "sim/core/error.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"
#include "sim/core/trace_recorder.h"

namespace streamsim {

// What an engine tells a monitor during a run. Read from the engine's own thread.
struct RunProgress {
  Cycle cycle = 0;               // the largest unit clock reached so far
  std::uint64_t transfers = 0;   // elements dequeued so far, all channels
  std::uint64_t work_done = 0;   // Σ over units that know their total work (sources) ...
  std::uint64_t work_total = 0;  // ... of done and total steps; work_total 0 = unknown
};

// Watches a run: the engine calls poll() every so often (a few hundred times a second at most
// of the engine's own speed; never in the per-token path). Returning false stops the run at
// once with status Interrupted and the figures reached so far (Ctrl-C).
class RunMonitor {
 public:
  virtual ~RunMonitor() = default;
  virtual bool poll(const RunProgress& progress) = 0;
  // Asked between steps of setting a run up (building units, allocating channels), which may
  // take a while for a large graph: true makes the engine throw RunSetupInterrupted.
  virtual bool stop_requested() { return false; }
};

// Thrown by Engine::run when the monitor asked to stop before the simulation began.
struct RunSetupInterrupted : Error {
  RunSetupInterrupted() : Error("interrupted while setting up the run; nothing was simulated") {}
};

struct RunOptions {
  // 0 = up to kMaxTime (sim/core/time_limits.h; a run that gets there is an error); otherwise
  // stop once any unit's clock passes it (at most kMaxTime).
  Cycle max_cycles = 0;
  RunMonitor* monitor = nullptr;   // optional
  TraceRecorder* trace = nullptr;  // optional: records the run for --trace / --timeline
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  virtual RunResult run(const Graph& graph, const RunOptions& options = {}) = 0;
};

// "fast" (default) or "systemc"; throws Error for other names.
std::unique_ptr<Engine> make_engine(const std::string& name);
std::vector<std::string> engine_names();

}  // namespace streamsim
