#pragma once
// Iterative ranks as folds (docs/einsum-language.md, "Compiling iterative ranks"). A
// recurrence T[.., v+1, ..] = f(T[.., v, ..], ...) with T[.., 0, ..] = constant compiles to a
// running fold over v when f, after inlining the helper Einsums that only it reads (the
// 1-pass attention's SPD[m1,p] = RD[m1,p] * PRM[m1,p]), has a form the library folds:
//   max(T[v], x), min(T[v], x), T[v] + x, T[v] * x, T[v] * c + x  (rescale_sum: acc*c + x).
// The fold's running values are T[1..B] (a `scan`), its last value T[B] (a `reduce`).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

struct FoldRecurrence {
  std::string tensor;
  int var = -1;                        // the iterated rank (m1)
  std::size_t dim = 0;                 // the tensor's dimension it iterates
  std::int64_t iterations = 0;         // B: T[B] is the final value
  std::size_t einsum = 0;              // T[v+1] = ...
  std::size_t init_einsum = 0;         // T[0] = constant
  std::vector<std::size_t> absorbed;   // helper Einsums inlined into the update
  double init = 0;                     // T[0]
  std::string op;                      // sum, max, min, prod, rescale_sum
  Expr x;                              // the folded operand (never reads T)
  Expr c;                              // rescale_sum only: the correction factor
};

// Every iterative tensor of `c` as a fold; throws an Error naming the line of a recurrence
// that has no such form (or an initialisation that is not a constant).
std::map<std::string, FoldRecurrence> find_fold_recurrences(const Cascade& c);

// The value of an expression without tensors (`-inf`, `0`, `2*3`), if it is one.
bool constant_value(const Expr& e, double& out);

}  // namespace einsum
}  // namespace streamsim
