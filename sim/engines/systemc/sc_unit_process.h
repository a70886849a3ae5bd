#pragma once
// One unit as a SystemC thread process. The process body is the timing contract written as a
// discrete-event program: the unit's clock is the kernel time (the process waits for time to
// pass and for channel events), and every dequeue and send happens at the kernel time it
// is stamped with.
#include <exception>
#include <vector>

#include "sim/core/unit.h"
#include "sim/engines/deadlock_analysis.h"
#include "sim/engines/systemc/sc_channel.h"

namespace streamsim {

// What the processes of one run share.
struct ScRunContext {
  Cycle base = 0;              // kernel time at which the run started (its cycle 0)
  Cycle limit = 0;             // max_cycles, or INT64_MAX when unbounded
  bool aborting = false;       // set to end every process of the run at its next step
  std::exception_ptr failure;  // the first exception thrown by a unit
};

// Thrown inside a process to leave it when its run is aborted.
struct RunAborted {};

enum class ScUnitState : std::uint8_t { Running, Blocked, Done, Stopped, Aborted };

class ScUnitProcess {
 public:
  ScUnitProcess(Unit& unit, ScRunContext& context);
  void connect_input(int port, ScChannel* channel);
  void connect_output(int port, ScChannel* channel);

  // The thread body, spawned with sc_spawn.
  void run();

  Unit& unit() const { return unit_; }
  ScUnitState state() const { return state_; }
  Cycle clock() const { return clock_; }
  Cycle busy() const { return busy_; }
  std::uint64_t firings() const { return firings_; }
  const BlockInfo& block() const { return block_; }
  // The event the blocked process waits on (to wake it when the run is aborted).
  sc_core::sc_event* waited_event() const { return waited_; }

 private:
  void fire_loop();
  bool firing_can_start(const FiringRule& rule);
  bool wait_for_data(ScChannel& channel);
  bool wait_for_space(ScChannel& channel);
  bool block_on(sc_core::sc_event& event, bool& waiting_flag, int channel, bool on_input);
  void finish();
  Cycle now() const;
  void advance_to(Cycle t);

  Unit& unit_;
  ScRunContext& context_;
  std::vector<ScChannel*> in_, out_;
  // Tokens are copied out of the channel at their dequeue time (which frees the slot for the
  // sender, who may overwrite it before the firing happens), and fired into a staging slot when
  // the output channel is still full at firing time. Sized once; no allocation per token.
  std::vector<std::vector<double>> in_stage_, out_stage_;
  Cycle clock_ = 0;
  Cycle now_ = 0;  // kernel time relative to the run's start, as last observed
  Cycle busy_ = 0;
  std::uint64_t firings_ = 0;
  ScUnitState state_ = ScUnitState::Running;
  BlockInfo block_;
  sc_core::sc_event* waited_ = nullptr;
};

}  // namespace streamsim
