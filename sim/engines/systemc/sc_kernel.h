#pragma once
// The single SystemC kernel of the process. SystemC elaborates once and cannot be reset, so
// every run of the systemc engine shares this kernel: a run spawns its processes between two
// sc_start calls and measures its times from the kernel time at which it started
// (see systemc_engine.cpp for the whole life cycle of a run).
#include <mutex>

#include "sim/core/types.h"
#include "sim/engines/systemc/sc_include.h"

namespace streamsim {

class ScKernel {
 public:
  // Sets the kernel up on first use: 1 ns time resolution (1 cycle = 1 ns), no copyright
  // banner, and SystemC's reports routed to stderr so that stdout stays the CLI's.
  static ScKernel& instance();

  // The kernel is one global object and not thread-safe: a run holds this lock throughout.
  std::mutex& mutex() { return mutex_; }

  // Kernel time in cycles (ticks of the 1 ns resolution).
  static Cycle now() { return static_cast<Cycle>(sc_core::sc_time_stamp().value()); }
  static const sc_core::sc_time& cycles(Cycle n) {
    // Most waits are a few cycles long: those come from a table (no call into the kernel).
    if (n < kSmallDelays) return instance().small_delays_[n];
    thread_local sc_core::sc_time t;
    t = sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(n));
    return t;
  }

  // Runs the kernel until no process is runnable and no notification is pending.
  void run_until_starved();

 private:
  ScKernel();
  static constexpr Cycle kSmallDelays = 64;
  std::mutex mutex_;
  sc_core::sc_time small_delays_[kSmallDelays];
};

}  // namespace streamsim
