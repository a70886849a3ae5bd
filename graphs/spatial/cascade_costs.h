#pragma once
// An attention cascade as the spatial model costs it, derived from the cascade's source in
// the einsum language (configs/cascades/*.cascade, parsed by graphs/einsum): for every
// Einsum, the iteration space of one M0×P0 tile, the ops per point (map ops, plus one per
// reduction unless a multiply fuses with an add-reduction into a MAC; exp costed by the
// architecture), the ops the PE must support, how it uses a PE array (systolic matmul,
// reduction along a row, elementwise), its pass (graphs/einsum's pass analysis), and which
// tensors it reads and writes. The mapping compiler (compile_mapping.h) turns these into
// per-tile work on the arrays and DRAM.
//
// Ranks are recognised by name: E (query/key size, contracted), F (value size), P (queries),
// M or M0 (keys, the 2D array's columns), M1 (chunks of M0 keys, the iterative rank).
#include <memory>
#include <string>
#include <vector>

#include "graphs/spatial/architecture.h"
#include "sim/core/types.h"

namespace streamsim::einsum {
struct Cascade;
}

namespace streamsim::spatial {

// Shapes per block of Pt = P1·P0 queries: EP = Q, EM = a K chunk, FM = a V chunk, MP = one
// M0×P0 tile of scores, P = one value per query, FP = F values per query.
enum class Shape { EP, EM, FM, MP, P, FP };
enum class Role { Input, Intermediate, State, Output };

struct TensorInfo {
  std::string name;
  Shape shape;
  Role role;
};

enum class EinsumKind {
  Elementwise,   // one PE per point, operands in registers
  Matmul,        // systolic, contraction over E streamed through the array (fill R+C-2)
  RowReduce,     // reduction over m0 through the inter-PE network along a row (fill C-1)
  ReduceMatmul,  // contraction over m0: stationary operand times streamed V, reduced along rows
};

struct EinsumCost {
  std::string name;
  std::string expr;  // as written in the cascade, for reports
  SourceLoc loc;     // the Einsum's line in the cascade file
  Shape space;       // points iterated per tile: MP (M0·P0), P (P0), FP (F·P0)
  EinsumKind kind = EinsumKind::Elementwise;
  int ops_const = 0, ops_per_e = 0, ops_per_f = 0, exps = 0;  // ops per point
  int exp_arg_adds = 0;  // adds/subtracts that only form an exp's argument: exp(x - m)
  std::vector<Op> needs;
  int pass = 1;              // 1-based pass of the cascade
  bool block_final = false;  // once per block, after the last M chunk (AV = RNV / RD)
  std::vector<std::string> reads;
  std::string writes;

  // Sequential ops per point: each op one cycle of a PE; exp = `exp_ops` ops; with
  // `fuse_exp_arg` the subtraction forming exp's argument is absorbed by exp's first step.
  int ops(int E, int F, int exp_ops, bool fuse_exp_arg = false) const {
    return ops_const + E * ops_per_e + F * ops_per_f + exps * exp_ops - (fuse_exp_arg ? exp_arg_adds : 0);
  }
  // Issue slots per point on a pipelined datapath (multi-cycle ops such as exp and ÷
  // pipelined): one per point and per contracted E or F element.
  int issues(int E, int F) const { return ops_per_e ? E : ops_per_f ? F : 1; }
};

struct Cascade {
  std::string name;
  std::string file;  // absolute path of the .cascade source
  int passes = 1;
  std::vector<EinsumCost> einsums;  // in dependency order
  std::vector<TensorInfo> tensors;
  const TensorInfo* tensor(const std::string& name) const;
  const EinsumCost* einsum(const std::string& name) const;
};

// Derives the cost table from a parsed, checked cascade; throws Error at the cascade's
// file:line for what the spatial model cannot cost (an unknown rank name, two computing
// definitions of one tensor, an exp inside a contraction, ...).
Cascade cascade_costs(const einsum::Cascade& source);
// Parses `path` and derives its cost table; `loc` (the mapping's `cascade:` key) is where a
// missing file is reported.
std::shared_ptr<const Cascade> load_cascade_costs(const std::string& path, const SourceLoc& loc = {});

}  // namespace streamsim::spatial
