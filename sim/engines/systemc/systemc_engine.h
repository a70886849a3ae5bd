#pragma once
// The reference discrete-event engine on the SystemC kernel: sc_time counts cycles, every unit
// is a SystemC thread, every channel a primitive channel with events. It runs the same units
// under the same timing contract as the fast engine and must agree with it exactly.
#include "sim/engines/engine.h"

namespace streamsim {

class SystemCEngine : public Engine {
 public:
  std::string name() const override { return "systemc"; }
  RunResult run(const Graph& graph, const RunOptions& options = {}) override;
};

}  // namespace streamsim
