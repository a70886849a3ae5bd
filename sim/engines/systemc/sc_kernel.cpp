#include "sim/engines/systemc/sc_kernel.h"

#include <cstdlib>
#include <iostream>

#include "sim/core/error.h"

// libsystemc's own main() calls sc_main. streamsim has its own main() and drives the kernel
// from the engine, but the shared library still needs the symbol to load; it is never called.
int sc_main(int, char**) {
  return 0;
}

namespace streamsim {

namespace {

// SystemC prints its reports (warnings, infos) on stdout. Keep stdout for streamsim's own
// output: show what SystemC would display on stderr, and let the default handler do the rest
// (throwing on errors, aborting on fatals).
void report_to_stderr(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if ((actions & sc_core::SC_DISPLAY) && report.get_severity() != sc_core::SC_INFO)
    std::cerr << "SystemC " << sc_core::sc_report_compose_message(report) << std::endl;
  sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

}  // namespace

ScKernel::ScKernel() {
  // The banner is printed when the simulation context is created, i.e. by the first call below.
  setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 0);
  sc_core::sc_report_handler::set_handler(report_to_stderr);
  // A run whose processes all end at time 0 (or an empty graph) is normal here, not a mistake.
  sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                          sc_core::SC_DO_NOTHING);
  if (sc_core::sc_get_status() == sc_core::SC_ELABORATION) {
    sc_core::sc_set_time_resolution(1, sc_core::SC_NS);
  }
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_NS))
    throw Error(
        "the systemc engine needs a SystemC time resolution of 1 ns (one cycle), but this "
        "process set it to " +
        sc_core::sc_get_time_resolution().to_string() +
        "; do not call sc_set_time_resolution before running the engine");
  for (Cycle n = 0; n < kSmallDelays; ++n)
    small_delays_[n] = sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(n));
}

ScKernel& ScKernel::instance() {
  static ScKernel kernel;
  return kernel;
}

void ScKernel::run_until_starved() {
  sc_core::sc_start();
}

}  // namespace streamsim
