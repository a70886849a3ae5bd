#pragma once
// The temporally decoupled engine: every unit keeps a local clock and runs until it blocks on
// an empty input or a full output; tokens carry their visibility time and each channel keeps
// its slots' credit times. Because units only block (Kahn semantics), the order in which
// units are run does not change any time computed, so no global event queue is needed.
#include "sim/engines/engine.h"

namespace streamsim {

class FastEngine : public Engine {
 public:
  std::string name() const override { return "fast"; }
  RunResult run(const Graph& graph, const RunOptions& options = {}) override;
};

}  // namespace streamsim
