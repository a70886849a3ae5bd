#include "graphs/einsum/functions.h"

#include <cmath>
#include <limits>

namespace streamsim {
namespace einsum {

FunctionRegistry::FunctionRegistry() {
  const double inf = std::numeric_limits<double>::infinity();
  add(FunctionDef{"exp", 1, [](const double* a) { return std::exp(a[0]); }, "e^x"});
  add(FunctionDef{"log", 1, [](const double* a) { return std::log(a[0]); }, "natural logarithm"});
  add(FunctionDef{"sqrt", 1, [](const double* a) { return std::sqrt(a[0]); }, "square root"});
  add(FunctionDef{"abs", 1, [](const double* a) { return std::fabs(a[0]); }, "absolute value"});
  add(FunctionDef{"relu", 1, [](const double* a) { return a[0] > 0 ? a[0] : 0.0; }, "max(x, 0)"});
  add(FunctionDef{"elu1", 1, [](const double* a) { return a[0] > 0 ? a[0] + 1 : std::exp(a[0]); },
                  "elu(x)+1, the linear-attention feature map"});
  add(FunctionDef{"max", 2, [](const double* a) { return std::fmax(a[0], a[1]); }, "larger of a, b"});
  add(FunctionDef{"min", 2, [](const double* a) { return std::fmin(a[0], a[1]); }, "smaller of a, b"});
  // a/b, or 0 when b == 0. The toy iterative cascade C3 multiplies RZ[0] = 0 by
  // RY[1]/RY[0] = x/0; in the paper's algebra that product is 0, in IEEE it is NaN.
  add(FunctionDef{"div0", 2, [](const double* a) { return a[1] == 0 ? 0.0 : a[0] / a[1]; },
                  "a/b, 0 when b = 0"});
  // select(c, a, b): a when c > 0 else b (masks: causal, sliding window).
  add(FunctionDef{"select", 3, [](const double* a) { return a[0] > 0 ? a[1] : a[2]; },
                  "a if c > 0 else b"});
  add(ReduceOpDef{"sum", 0.0, [](double x, double y) { return x + y; }, "sum (default)"});
  add(ReduceOpDef{"max", -inf, [](double x, double y) { return std::fmax(x, y); }, "maximum"});
  add(ReduceOpDef{"min", inf, [](double x, double y) { return std::fmin(x, y); }, "minimum"});
  add(ReduceOpDef{"prod", 1.0, [](double x, double y) { return x * y; }, "product"});
}

FunctionRegistry& FunctionRegistry::instance() {
  static FunctionRegistry registry;
  return registry;
}

void FunctionRegistry::add(FunctionDef f) {
  for (auto& g : functions_)
    if (g.name == f.name) { g = std::move(f); return; }
  functions_.push_back(std::move(f));
}

void FunctionRegistry::add(ReduceOpDef r) {
  for (auto& g : reduce_ops_)
    if (g.name == r.name) { g = std::move(r); return; }
  reduce_ops_.push_back(std::move(r));
}

const FunctionDef* FunctionRegistry::function(const std::string& name) const {
  for (const auto& f : functions_)
    if (f.name == name) return &f;
  return nullptr;
}

const ReduceOpDef* FunctionRegistry::reduce_op(const std::string& name) const {
  for (const auto& r : reduce_ops_)
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<std::string> FunctionRegistry::function_names() const {
  std::vector<std::string> out;
  for (const auto& f : functions_) out.push_back(f.name);
  return out;
}

std::vector<std::string> FunctionRegistry::reduce_op_names() const {
  std::vector<std::string> out;
  for (const auto& r : reduce_ops_) out.push_back(r.name);
  return out;
}

}  // namespace einsum
}  // namespace streamsim
