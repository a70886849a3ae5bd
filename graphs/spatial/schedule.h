#pragma once
// The tile-level program a mapping compiles to. Time is divided into epochs (one M0×P0 tile
// of one pass of one block); every epoch, each stage (a run of Einsums bound to one array,
// or a DRAM load/store) does a known amount of work. A stage fires on its unit at unit step
// g for epoch g − skew, so a skew of 1 software-pipelines the stage one epoch behind the
// others of its unit. Edges carry one token per epoch in which both ends are active; they
// become bounded FIFOs, so back-pressure and bandwidth stalls are simulated by the engine.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim::spatial {

// What one stage does in one epoch.
struct StageWork {
  bool active = false;
  Cycle ii = 0;               // cycles the unit is occupied
  Cycle latency = 0;          // cycles until the stage's outputs are available
  double busy_pe_cycles = 0;  // PE-cycles of useful work (arrays)
  double bytes = 0;           // bytes moved (DRAM stages)
  // Added to ii when the unit's next firing is of another stage (or it has none): a 2D array
  // without interleaving drains one Einsum before it fills the next, but consecutive tiles of
  // one Einsum (before the other stage's first epoch, after its last) stream back to back.
  Cycle switch_fill = 0;
};

enum class UnitKind { Dram, Array2D, Array1D };

struct StageDef {
  std::string name;
  int unit = 0;
  int pass = 0;
  int skew = 0;
};

struct EdgeDef {
  int src = 0, dst = 0;  // stage indices on different units
  bool barrier = false;  // last epoch of src's pass -> first epoch of dst's pass (the next epoch)
  Cycle depth = 2;
  double token_bytes = 0;  // bytes a token stands for (largest over epochs), for buffer use
  bool primed = false;     // starts with one token that the consumer discards (a back edge)
};

// Epoch position flags within a pass of a block.
enum : int { kFirst = 1, kLast = 2, kChunkStart = 4 };

struct PassDef {
  std::string name;
  std::int64_t epochs = 1;
  std::int64_t chunk_period = 1;               // epochs sharing one K/V chunk (P1)
  std::array<std::vector<StageWork>, 8> work;  // [flags][stage]
};

struct Schedule {
  std::vector<std::string> unit_names;
  std::vector<UnitKind> unit_kinds;
  std::vector<StageDef> stages;
  std::vector<EdgeDef> edges;
  std::vector<PassDef> passes;  // one block
  std::int64_t blocks = 1;

  std::int64_t epochs_per_block() const;
  std::int64_t epochs() const { return blocks * epochs_per_block(); }
  struct Position {
    int pass = -1;
    int flags = 0;
  };
  Position position(std::int64_t e) const;
  // Work of `stage` in epoch e (inactive outside [0, epochs()) or outside the stage's pass).
  const StageWork& work(std::int64_t e, int stage) const;
  // Whether edge `edge` carries a token produced in epoch e (sender side) / consumed in
  // epoch e (receiver side). Both sides agree by construction.
  bool sends(int edge, std::int64_t e) const;
  bool receives(int edge, std::int64_t e) const;
  // Checks indices and that no edge joins two stages of one unit; throws Error.
  void validate() const;
};

}  // namespace streamsim::spatial
