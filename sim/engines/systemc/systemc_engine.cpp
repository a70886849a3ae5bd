#include "sim/engines/systemc/systemc_engine.h"

#include "sim/core/error.h"

namespace streamsim {

RunResult SystemCEngine::run(const Graph&, const RunOptions&) {
  throw Error("the systemc engine is not built yet");
}

}  // namespace streamsim
