#pragma once
// Pass analysis of a cascade (docs/einsum-language.md, "Pass analysis"): for each input
// tensor and rank, how many passes over that rank's fibers the cascade needs, which
// Einsum dependencies force each extra pass, and the live footprint the cascade implies
// if each input fiber is read from memory only once.
#include <cstdint>
#include <string>
#include <vector>

#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

// Why pass `pass` exists: `einsum` needs `needs`, which is complete only after a full
// traversal of the fiber in the previous pass.
struct PassReason {
  int pass = 0;
  std::string einsum;     // the Einsum as written
  int line = 0;
  std::string needs;      // tensor name
  int needs_line = 0;     // line of the Einsum that completes it
  std::string how;        // e.g. "max-reduction over m", "last iteration of m1"
};

// One rank as the cascade traverses it: rank M read as coordinates (m1, m0), outer first.
struct RankPasses {
  std::string rank;                 // input dimension's rank name, e.g. "M"
  std::vector<std::string> coords;  // index variables traversing it, outer first
  std::int64_t fiber_size = 0;      // elements of one fiber (product of coordinate sizes)
  int passes = 1;
  std::vector<PassReason> reasons;  // one or more per extra pass
  struct EinsumPass { std::string tensor; int line = 0; int pass = 0; };
  std::vector<EinsumPass> einsums;  // the pass of every Einsum that touches this rank
};

struct InputPasses {
  std::string input;
  std::string rank;
  std::vector<int> passes;          // the passes in which this input's fibers are needed
  std::int64_t footprint = 1;       // elements live per fiber if the input is read once
  std::string footprint_kind;       // "stream" (1), "segment" (one chunk), "fiber" (whole fiber)
  std::string footprint_note;       // which tensor must be held and why
};

struct PassReport {
  std::string file;
  std::vector<RankPasses> ranks;
  std::vector<InputPasses> inputs;

  // Passes over `rank` (as named in the input's shape); throws if the rank is not traversed.
  int passes(const std::string& rank) const;
  const InputPasses& input(const std::string& name, const std::string& rank) const;
  std::string to_text() const;
  std::string to_json() const;
};

PassReport analyse_passes(const Cascade& c);

}  // namespace einsum
}  // namespace streamsim
