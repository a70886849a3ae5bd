#pragma once
// The folds shared by `reduce` and `scan`: sum, max, min, prod, with their identities.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace streamsim::units {

enum class FoldOp { Sum, Max, Min, Prod };

inline const std::vector<std::string>& fold_op_names() {
  static const std::vector<std::string> n = {"sum", "max", "min", "prod"};
  return n;
}

inline FoldOp parse_fold_op(const std::string& s) {
  if (s == "max") return FoldOp::Max;
  if (s == "min") return FoldOp::Min;
  if (s == "prod") return FoldOp::Prod;
  return FoldOp::Sum;
}

inline double fold_identity(FoldOp op) {
  switch (op) {
    case FoldOp::Sum: return 0.0;
    case FoldOp::Max: return -std::numeric_limits<double>::infinity();
    case FoldOp::Min: return std::numeric_limits<double>::infinity();
    case FoldOp::Prod: return 1.0;
  }
  return 0.0;
}

// acc[e] = acc[e] (op) x[e] for e < width.
inline void fold_into(FoldOp op, double* acc, const double* x, int width) {
  switch (op) {
    case FoldOp::Sum: for (int e = 0; e < width; ++e) acc[e] += x[e]; break;
    case FoldOp::Max: for (int e = 0; e < width; ++e) acc[e] = std::max(acc[e], x[e]); break;
    case FoldOp::Min: for (int e = 0; e < width; ++e) acc[e] = std::min(acc[e], x[e]); break;
    case FoldOp::Prod: for (int e = 0; e < width; ++e) acc[e] *= x[e]; break;
  }
}

// The `init` parameter: NaN (its default) stands for "the identity of op".
inline double fold_init(FoldOp op, double init) { return std::isnan(init) ? fold_identity(op) : init; }

}  // namespace streamsim::units
