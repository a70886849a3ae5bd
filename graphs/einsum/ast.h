#pragma once
// The syntax tree of a cascade of extended Einsums (see docs/einsum-language.md).
// Names are resolved while parsing: index variables become rank ids, size names become
// integers, so later passes (checks, evaluator, pass analysis) never look names up again.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {
namespace einsum {

// A declared rank: `rank M1 = 4` declares rank M1 with size 4 and index variable m1.
struct Rank {
  std::string name;  // upper case, also the size constant's name
  std::string var;   // lower case index variable
  std::int64_t size = 0;
  SourceLoc loc;
};

// An affine index expression: sum(coef * var) + constant, vars given by rank id.
struct AffineIndex {
  std::vector<std::pair<int, std::int64_t>> terms;  // (rank id, coefficient), no zero coefs
  std::int64_t constant = 0;
  std::string text;  // as written, for messages
  SourceLoc loc;

  bool is_constant() const { return terms.empty(); }
  // True for `v + c` (coefficient one): the forms allowed on the left of an Einsum.
  bool is_var_plus_offset() const { return terms.size() == 1 && terms[0].second == 1; }
  int var() const { return terms.empty() ? -1 : terms[0].first; }
};

// `NAME` or `NAME[i, j, ...]` on either side of an Einsum.
struct TensorRef {
  std::string name;
  std::vector<AffineIndex> indices;
  SourceLoc loc;
};

// The right-hand side: element-wise arithmetic over tensor elements and constants.
struct Expr {
  // Index: the value of an index variable (`p - m` in a causal mask), an integer.
  enum class Kind { Number, Tensor, Negate, Binary, Call, Index };
  Kind kind = Kind::Number;
  double number = 0;       // Number
  TensorRef ref;           // Tensor
  char op = 0;             // Binary: + - * /
  std::string func;        // Call: registered function name
  int var = -1;            // Index: rank id of the index variable
  std::vector<Expr> args;  // Negate (1), Binary (2), Call (n)
  SourceLoc loc;
  // Nodes on the longest path down from here, this one included. The parser bounds it
  // (kMaxExprHeight): every pass over the tree, and its destructor, recurse.
  int height = 1;
};

// `:: reduce_m max` — the operator that reduces rank variable m.
struct ReduceClause {
  int var = -1;
  std::string op;
  SourceLoc loc;
};

struct Einsum {
  TensorRef lhs;
  Expr rhs;
  std::vector<ReduceClause> reduces;
  std::string text;  // the statement as written (for reports)
  SourceLoc loc;
};

// `input Q[E, P]`.
struct InputDecl {
  std::string name;
  std::vector<int> ranks;  // rank ids, one per dimension
  SourceLoc loc;
};

// `stop when m1 >= M1`: recurrences over m1 run for m1 = 0 .. bound-1.
struct StopRule {
  int var = -1;
  std::int64_t bound = 0;
  SourceLoc loc;
};

// What semantic analysis learns about one tensor.
struct TensorInfo {
  std::string name;
  bool is_input = false;
  std::vector<int> dim_vars;            // rank id of each dimension's index variable
  std::vector<std::int64_t> extents;    // number of elements along each dimension
  std::vector<bool> iterative;          // dimension written as v+1 by a recurrence
  std::vector<std::size_t> definitions; // Einsum indices writing this tensor
  SourceLoc loc;                        // declaration or first definition
};

// One parsed and checked cascade.
struct Cascade {
  std::string file;
  std::vector<Rank> ranks;
  std::vector<InputDecl> inputs;
  std::vector<Einsum> einsums;
  std::vector<StopRule> stops;
  std::map<std::string, TensorInfo> tensors;  // filled by check_cascade
  std::vector<std::string> tensor_order;      // inputs, then in order of first definition

  const TensorInfo& tensor(const std::string& name) const;
  // Iterations of a recurrence over rank variable `var` (its stop bound, else its size).
  std::int64_t iterations(int var) const;
  // Range [0, n) of variable `var` inside Einsum `e` (recurrences stop early).
  std::int64_t var_range(const Einsum& e, int var) const;
  // The reduced rank ids of an Einsum (on the right, not on the left), first use first.
  std::vector<int> reduced_vars(const Einsum& e) const;
  std::string reduce_op(const Einsum& e, int var) const;
};

// Free helpers over syntax.
void collect_refs(const Expr& e, std::vector<const TensorRef*>& out);
void collect_vars(const AffineIndex& a, std::vector<int>& out);
void collect_index_values(const Expr& e, std::vector<int>& out);  // vars used as values
std::string index_text(const TensorRef& r);  // "T[m1+1, p]"

}  // namespace einsum
}  // namespace streamsim
