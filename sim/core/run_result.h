#pragma once
// What a run produces: cycle count, per-unit and per-channel statistics, the unit objects
// themselves (so callers can read sinks' values), and, on a deadlock, its diagnosis.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/unit.h"

namespace streamsim {

// Interrupted: the run was stopped from outside (Ctrl-C) before it ended; its figures are
// those reached so far.
enum class RunStatus { Finished, Deadlock, MaxCycles, Interrupted };
const char* run_status_name(RunStatus s);

struct UnitStats {
  std::string name, type;
  Cycle final_clock = 0;  // the unit's local clock when it finished or blocked
  Cycle busy_cycles = 0;  // sum of the II of every firing
  std::uint64_t firings = 0;
  // Where the run's cycles went, for this unit: busy + stalled_input + stalled_output + idle
  // equals the run's cycle count. A unit's clock moves only by its firings' II (busy), by
  // waiting for an input element to become visible (stalled on input: a slow or empty
  // producer) and by waiting for an output slot's credit (stalled on output: back-pressure, the
  // FIFO downstream is full). Idle is the time after the unit's clock stopped (it finished, or
  // the run ended first); a unit blocked in a deadlock counts the rest of the run as stalled.
  Cycle stalled_input_cycles = 0;
  Cycle stalled_output_cycles = 0;
  Cycle idle_cycles = 0;
};

struct ChannelStats {
  std::string name;
  Cycle depth = 0;
  std::uint64_t peak_occupancy = 0;
  std::uint64_t transfers = 0;      // elements dequeued
  std::uint64_t left_over = 0;      // elements still in the FIFO at the end
  Cycle producer_stall_cycles = 0;  // the producer waited for credit (this FIFO was full)
  Cycle consumer_stall_cycles = 0;  // the consumer waited for data (this FIFO was empty)
};

// One blocked unit of a deadlock: what it waits on and why.
struct BlockedUnit {
  std::string unit;
  std::string channel;
  bool waits_for_data = false;  // true: input empty; false: output full (no credit)
  Cycle depth = 0;
  std::uint64_t occupancy = 0;
  std::string state;  // the unit's own description of where it is
};

struct Deadlock {
  Cycle cycle = 0;
  std::vector<BlockedUnit> blocked;
  std::vector<std::string> wait_cycle;  // units forming the wait-for cycle (first repeated at end)
  std::string explain() const;          // multi-line human-readable diagnosis
};

struct RunResult {
  std::string engine;
  RunStatus status = RunStatus::Finished;
  Cycle cycles = 0;  // the largest final clock of any unit
  std::vector<UnitStats> units;
  std::vector<ChannelStats> channels;
  Deadlock deadlock;            // valid when status == Deadlock
  std::uint64_t transfers = 0;  // Σ channel transfers
  // Firings the fast engine ran without computing their times, because the run's timing was
  // repeating (periodic replay, docs/timing-model.md); 0 on the systemc engine.
  std::uint64_t replayed_firings = 0;
  // Of those, the firings run unit by unit in batches (Unit::steady_firings, fire_batch).
  std::uint64_t batched_firings = 0;
  double wall_seconds = 0;
  std::vector<std::unique_ptr<Unit>> unit_objects;  // index = graph unit index

  template <class T>
  T* unit_as(const std::string& name) const {
    for (const auto& u : unit_objects)
      if (u && u->name() == name) return dynamic_cast<T*>(u.get());
    return nullptr;
  }
};

}  // namespace streamsim
