#pragma once
// The two attention cascades of the FuseMax paper as cost tables: for every Einsum, the
// iteration space of one M0×P0 tile, the ops per point (exp costed by the architecture), the
// ops the PE must support, how it uses a PE array (systolic matmul, reduction along a row,
// elementwise), its pass, and which tensors it reads and writes. The mapping compiler
// (compile_mapping.h) turns these into per-tile work on the arrays and DRAM.
#include <string>
#include <vector>

#include "graphs/spatial/architecture.h"

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
  std::string expr;  // as in the reference, for reports
  Shape space;       // points iterated per tile: MP (M0·P0), P (P0), FP (F·P0)
  EinsumKind kind = EinsumKind::Elementwise;
  int ops_const = 0, ops_per_e = 0, ops_per_f = 0, exps = 0;  // ops per point
  std::vector<Op> needs;
  int pass = 1;              // 1-based pass of the cascade
  bool block_final = false;  // once per block, after the last M chunk (AV = RNV / RD)
  std::vector<std::string> reads;
  std::string writes;

  int ops(int E, int F, int exp_ops) const { return ops_const + E * ops_per_e + F * ops_per_f + exps * exp_ops; }
};

struct Cascade {
  std::string name;
  int passes = 1;
  std::vector<EinsumCost> einsums;  // in dependency order
  std::vector<TensorInfo> tensors;
  const TensorInfo* tensor(const std::string& name) const;
  const EinsumCost* einsum(const std::string& name) const;
};

// "attention-1pass" (FlashAttention-style, FuseMax) and "attention-3pass" (FLAT, unfused).
const Cascade& attention_cascade(const std::string& name, const SourceLoc& loc = {});
std::vector<std::string> attention_cascade_names();

}  // namespace streamsim::spatial
