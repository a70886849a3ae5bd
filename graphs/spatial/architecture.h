#pragma once
// The spatial accelerator of FuseMax / FLAT: a 2D array of R×C PEs (+, ×, max, a register
// file, an inter-PE network for reductions along a row or column), a 1D array of K PEs
// (+, ×, max, ÷), a global buffer, DRAM, a clock and a word size. Loaded from YAML
// (configs/spatial/cloud.yaml) and validated with file:line errors.
#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/core/types.h"

namespace streamsim::spatial {

enum class Op { Add, Mul, Max, Div };
const char* op_name(Op op);

struct Array2D {
  int rows = 256, cols = 256;
  std::vector<Op> ops{Op::Add, Op::Mul, Op::Max};
  int register_file_entries = 16;
  std::string reduction_network = "row";  // "row", "column" or "both"
  std::int64_t pes() const { return static_cast<std::int64_t>(rows) * cols; }
  // false ("sequential"): a PE spends one cycle per op of an Einsum's point (exp = its
  // MACs + adds); true ("pipelined"): multi-cycle ops are pipelined units and a PE issues
  // one point (per contracted element) per cycle.
  bool pipelined = false;
  bool supports(Op op) const;
};

struct Array1D {
  int pes = 256;
  std::vector<Op> ops{Op::Add, Op::Mul, Op::Max, Op::Div};
  bool pipelined = false;  // as Array2D::pipelined
  bool supports(Op op) const;
};

struct Architecture {
  std::string name = "cloud";
  SourceLoc loc;
  double clock_ghz = 0.94;
  int word_bytes = 2;
  Array2D array2d;
  Array1D array1d;
  std::int64_t global_buffer_bytes = 16ll << 20;
  double dram_gb_per_s = 400;
  Cycle dram_latency_cycles = 0;  // added to every DRAM transfer's latency (not its occupancy)
  int exp_macs = 6, exp_adds = 1;  // exp(x) costs 6 sequential MACs + 1 add (FuseMax)
  // exp(x - m) costs what exp(x) does: the subtraction is exp's first step (the FuseMax
  // artifact costs SLN = exp(BQK - RM) and PRM as 6 MACs + 1 add).
  bool exp_fuses_argument = true;

  double dram_bytes_per_cycle() const { return dram_gb_per_s / clock_ghz; }
  int exp_ops() const { return exp_macs + exp_adds; }
};

// Reads the `architecture:` section of a parsed YAML document (or the document itself if it
// has no such key). `file` is used in error locations.
Architecture architecture_from_yaml(const YAML::Node& doc, const std::string& file = "");
Architecture load_architecture(const std::string& path);

}  // namespace streamsim::spatial
