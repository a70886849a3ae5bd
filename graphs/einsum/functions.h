#pragma once
// Registries of the element-wise functions (`exp(x)`, `max(a,b)`, ...) and the reduction
// operators (`:: reduce_m max`) a cascade may name. Both are open: a graph builder or a
// test may register more before parsing.
#include <functional>
#include <string>
#include <vector>

namespace streamsim {
namespace einsum {

struct FunctionDef {
  std::string name;
  int arity = 1;
  std::function<double(const double*)> apply;  // arguments, `arity` of them
  std::string doc;
};

struct ReduceOpDef {
  std::string name;
  double identity = 0;                         // value of an empty reduction
  std::function<double(double, double)> combine;
  std::string doc;
};

class FunctionRegistry {
 public:
  static FunctionRegistry& instance();
  void add(FunctionDef f);
  void add(ReduceOpDef r);
  const FunctionDef* function(const std::string& name) const;
  const ReduceOpDef* reduce_op(const std::string& name) const;
  std::vector<std::string> function_names() const;
  std::vector<std::string> reduce_op_names() const;

 private:
  FunctionRegistry();
  std::vector<FunctionDef> functions_;
  std::vector<ReduceOpDef> reduce_ops_;
};

}  // namespace einsum
}  // namespace streamsim
