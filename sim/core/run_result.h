#pragma once
// What a run produces: cycle count, per-unit and per-channel statistics, the unit objects
// themselves (so callers can read sinks' values), and, on a deadlock, its diagnosis.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/unit.h"

namespace streamsim {

enum class RunStatus { Finished, Deadlock, MaxCycles };
const char* run_status_name(RunStatus s);

struct UnitStats {
  std::string name, type;
  Cycle final_clock = 0;        // the unit's local clock when it finished or blocked
  Cycle busy_cycles = 0;        // sum of the II of every firing
  std::uint64_t firings = 0;
};

struct ChannelStats {
  std::string name;
  Cycle depth = 0;
  std::uint64_t peak_occupancy = 0;
  std::uint64_t transfers = 0;  // elements dequeued
  std::uint64_t left_over = 0;  // elements still in the FIFO at the end
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
  Deadlock deadlock;  // valid when status == Deadlock
  std::uint64_t transfers = 0;  // Σ channel transfers
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
