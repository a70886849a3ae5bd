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
  // Validates the graph, checks the run's limits (run_limits.h: horizon, time bound, memory
  // estimate) before allocating, and builds the units and channels, asking options.monitor
  // now and then whether to stop (RunSetupInterrupted). options.trace, if given, records the
  // run's channel events (set up for this graph).
  RunSetup(const Graph& graph, const RunOptions& options);
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
  Cycle horizon = 0;  // no firing starts at or after it (run_horizon)
  Cycle delays = 0;   // the graph's delay sum (delay_sum): times stay below horizon + 2 x delays
  std::vector<std::unique_ptr<Unit>> units;
  std::vector<std::unique_ptr<ChannelState>> channels;
};

}  // namespace streamsim
