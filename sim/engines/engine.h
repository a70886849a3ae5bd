#pragma once
// An engine executes a validated graph under the timing contract of docs/timing-model.md.
#include <memory>
#include <string>

#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim {

struct RunOptions {
  Cycle max_cycles = 0;  // 0 = unbounded; otherwise stop once any unit's clock passes it
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
