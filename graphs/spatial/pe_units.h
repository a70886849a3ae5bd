#pragma once
// PE-level units of the spatial accelerator (docs/spatial.md, "PE-level model"): FuseMax's
// 2D-array PE (`spatial_pe2d`) and 1D-array PE (`spatial_pe1d`), FLAT's (`spatial_pe2d_flat`,
// `spatial_pe1d_flat`), a row's drain/load shift register (`spatial_pe_shift`) and the
// operand feed at the array's edge (`spatial_pe_feed`). They are registered unit types with
// declared parameters, so `streamsim units` documents them and make_unit validates them in one
// place; the graph is built by pe_mapping.h. Values are real (attention is computed), and every PE
// counts the cycles it spends per stage so the tile-level per-stage work can be checked against it.
#include <cmath>
#include <map>
#include <string>

#include "sim/core/unit.h"

namespace streamsim::spatial {

// Deterministic operands of one block: Q[e, p], K[e, m], V[f, m] (p, m over the whole block).
inline double pe_q(int p, int e) {
  return std::sin(0.7 * p + 1.3 * e + 0.2);
}
inline double pe_k(int m, int e) {
  return std::cos(0.5 * m + 0.9 * e);
}
inline double pe_v(int m, int f) {
  return std::sin(0.3 * m - 0.8 * f + 1.0);
}

// Stage names, as the tile-level schedule names the runs of Einsums (compile_mapping.cpp).
inline const char* kStageBqk = "BQK+LM";
inline const char* kStageSln = "SLN+SLD+SLNV";
inline const char* kStageRm = "RM";
inline const char* kStagePrm = "PRM+SPD+RD+SPNV+RNV";
inline const char* kStageAv = "AV";
// FLAT's stages (3-pass cascade; AV is FLAT's A * V on the 2D array).
inline const char* kStageQk = "QK";
inline const char* kStageGm = "GM";
inline const char* kStageSnSd = "SN+SD";
inline const char* kStageA = "A";

// A PE that accounts its busy cycles (the II of its firings) per stage.
// The largest II a PE firing charges: the schemas bound exp_cycles and sn_cycles by it.
constexpr Cycle kMaxPeFiringCycles = 1000000;

class PeUnit : public Unit {
 public:
  using Unit::Unit;
  // Every firing has latency 1 and an II of at most kMaxPeFiringCycles (charge()).
  Cycle max_firing_delay() const override { return kMaxPeFiringCycles + 1; }
  const std::map<std::string, Cycle>& stage_busy() const { return stage_busy_; }
  // Words of the global buffer this PE's rows occupied at most (FLAT's softmax rows).
  std::int64_t peak_buffer_words() const { return peak_buffer_words_; }

 protected:
  // Adds a scalar input / output port and returns its index; PEs keep -1 for ports their
  // position in the array does not have.
  int in(const char* n) {
    add_input(n);
    return static_cast<int>(inputs().size()) - 1;
  }
  int out(const char* n) {
    add_output(n);
    return static_cast<int>(outputs().size()) - 1;
  }
  // Writes `v` to output `port` if the PE has that port.
  static void send(FiringIO& io, int port, double v) {
    if (port >= 0) io.out[port][0] = v;
  }

  // Sets this firing's II and charges it to `stage`.
  void charge(const char* stage, Cycle ii) {
    firing_ii_ = ii;
    firing_latency_ = 1;
    stage_busy_[stage] += ii;
  }
  void note_buffer_words(std::int64_t words) {
    if (words > peak_buffer_words_) peak_buffer_words_ = words;
  }

 private:
  std::map<std::string, Cycle> stage_busy_;
  std::int64_t peak_buffer_words_ = 0;
};

}  // namespace streamsim::spatial
