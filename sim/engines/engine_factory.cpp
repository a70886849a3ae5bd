#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "sim/engines/fast/fast_engine.h"
#include "sim/engines/systemc/systemc_engine.h"

namespace streamsim {

std::vector<std::string> engine_names() { return {"fast", "systemc"}; }

std::unique_ptr<Engine> make_engine(const std::string& name) {
  if (name == "fast") return std::make_unique<FastEngine>();
  if (name == "systemc") return std::make_unique<SystemCEngine>();
  std::string msg = "unknown engine '" + name + "'";
  std::string near = nearest_name(name, engine_names());
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  throw Error(msg + " (valid engines: fast, systemc)");
}

}  // namespace streamsim
