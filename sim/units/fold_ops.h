#pragma once
// The folds shared by `reduce` and `scan`: sum, max, min, prod, with their identities, and
// the rescaling folds of the reordered (online-softmax) SDPA graph:
//   rescale_sum:          input (c, x[0..w-1]),       acc = acc*c + x
//   rescale_weighted_sum: input (c, e, v[0..w-1]),    acc = acc*c + e*v
// where c = exp(m_old - m_new) corrects the accumulator for a new running max.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace streamsim::units {

enum class FoldOp { Sum, Max, Min, Prod, RescaleSum, RescaleWeightedSum };

inline const std::vector<std::string>& fold_op_names() {
  static const std::vector<std::string> n = {"sum",  "max",         "min",
                                             "prod", "rescale_sum", "rescale_weighted_sum"};
  return n;
}

inline FoldOp parse_fold_op(const std::string& s) {
  if (s == "max") return FoldOp::Max;
  if (s == "min") return FoldOp::Min;
  if (s == "prod") return FoldOp::Prod;
  if (s == "rescale_sum") return FoldOp::RescaleSum;
  if (s == "rescale_weighted_sum") return FoldOp::RescaleWeightedSum;
  return FoldOp::Sum;
}

inline double fold_identity(FoldOp op) {
  switch (op) {
    case FoldOp::Sum:
      return 0.0;
    case FoldOp::Max:
      return -std::numeric_limits<double>::infinity();
    case FoldOp::Min:
      return std::numeric_limits<double>::infinity();
    case FoldOp::Prod:
      return 1.0;
    default:
      return 0.0;
  }
}

// Values per input token for an accumulator of `width` values.
inline int fold_input_width(FoldOp op, int width) {
  return op == FoldOp::RescaleSum           ? width + 1
         : op == FoldOp::RescaleWeightedSum ? width + 2
                                            : width;
}

// acc[e] = acc[e] (op) x[e] for e < width (x has fold_input_width values).
inline void fold_into(FoldOp op, double* acc, const double* x, int width) {
  switch (op) {
    case FoldOp::Sum:
      for (int e = 0; e < width; ++e) acc[e] += x[e];
      break;
    case FoldOp::Max:
      for (int e = 0; e < width; ++e) acc[e] = std::max(acc[e], x[e]);
      break;
    case FoldOp::Min:
      for (int e = 0; e < width; ++e) acc[e] = std::min(acc[e], x[e]);
      break;
    case FoldOp::Prod:
      for (int e = 0; e < width; ++e) acc[e] *= x[e];
      break;
    case FoldOp::RescaleSum:
      for (int e = 0; e < width; ++e) acc[e] = acc[e] * x[0] + x[1 + e];
      break;
    case FoldOp::RescaleWeightedSum:
      for (int e = 0; e < width; ++e) acc[e] = acc[e] * x[0] + x[1] * x[2 + e];
      break;
  }
}

// The `init` parameter: NaN (its default) stands for "the identity of op".
inline double fold_init(FoldOp op, double init) {
  return std::isnan(init) ? fold_identity(op) : init;
}

}  // namespace streamsim::units
