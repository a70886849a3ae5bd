#pragma once
// What every engine does around a run: build fresh unit objects and channel states from the
// graph (with initial tokens), and afterwards turn channel states into statistics.
#include <memory>
#include <vector>

#include "sim/core/channel_state.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"
#include "sim/engines/engine.h"

namespace streamsim {

struct RunSetup {
  // `trace`, if given, records the run's channel events (set up for this graph).
  explicit RunSetup(const Graph& graph, TraceRecorder* trace = nullptr);
  // Fills result.channels and result.transfers, calls Unit::finish, and hands the unit
  // objects to the result.
  void finish(RunResult& result);
  // Splits every unit's cycles into busy, stalled on input, stalled on output and idle.
  void account_unit_cycles(RunResult& result) const;
  // The run's progress so far, for a RunMonitor; `cycle` is the engine's largest unit clock.
  RunProgress progress(Cycle cycle) const;
  // Decides, for this run's unit objects, which forwarding outputs send references.
  void resolve_forwarded_references();

  const Graph& graph;
  std::vector<std::unique_ptr<Unit>> units;
  std::vector<std::unique_ptr<ChannelState>> channels;
};

}  // namespace streamsim
