#pragma once
// Reference evaluator: computes every element of every tensor of a cascade in double,
// directly from the Einsums (no loop order, no streaming), so compiled graphs can be
// checked value by value. Elements are computed on demand and memoised, which handles
// iterative ranks (RM[m1+1] needs RM[m1]) without a schedule. Meant for small sizes.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

// A dense tensor, row-major over its dimensions (a scalar has no dimensions, one element).
struct TensorValues {
  std::string name;
  std::vector<std::int64_t> extents;
  std::vector<double> data;
  std::size_t offset(const std::vector<std::int64_t>& index) const;
  double at(const std::vector<std::int64_t>& index) const { return data[offset(index)]; }
};

struct EvalOptions {
  std::uint64_t seed = 1;  // inputs not given below are uniform in [low, high) from this seed
  double low = -1.0;
  double high = 1.0;
  std::map<std::string, std::vector<double>> inputs;  // row-major values by input name
};

struct Evaluation {
  std::map<std::string, TensorValues> tensors;
  const TensorValues& operator[](const std::string& name) const;
};

Evaluation evaluate(const Cascade& c, const EvalOptions& options = {});

}  // namespace einsum
}  // namespace streamsim
