#include "sim/core/run_result.h"

#include <sstream>

namespace streamsim {

const char* run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::Finished:
      return "finished";
    case RunStatus::Deadlock:
      return "deadlock";
    case RunStatus::MaxCycles:
      return "max-cycles";
    case RunStatus::Interrupted:
      return "interrupted";
  }
  return "?";
}

std::string Deadlock::explain() const {
  std::ostringstream os;
  os << "deadlock at cycle " << cycle
     << ": no unit can make progress and the run is not finished\n";
  for (const auto& b : blocked) {
    os << "  unit '" << b.unit << "' waits on channel '" << b.channel << "', which is "
       << (b.waits_for_data ? "empty (waiting for data)"
                            : "full (" + std::to_string(b.occupancy) + " of depth " +
                                  std::to_string(b.depth) + ": waiting for space)");
    if (!b.state.empty()) os << " [" << b.state << "]";
    os << "\n";
  }
  if (!wait_cycle.empty()) {
    os << "  wait-for cycle: ";
    for (std::size_t i = 0; i < wait_cycle.size(); ++i) os << (i ? " -> " : "") << wait_cycle[i];
    os << "\n";
  }
  os << "  fix: a full channel on the cycle is too shallow for this dataflow; deepen it "
        "(`streamsim size` finds the smallest sufficient depths)";
  return os.str();
}

}  // namespace streamsim
