#include "graphs/einsum/ast.h"

#include <algorithm>

#include "sim/core/error.h"

namespace streamsim {
namespace einsum {

const TensorInfo& Cascade::tensor(const std::string& name) const {
  auto it = tensors.find(name);
  if (it == tensors.end()) throw Error("no tensor '" + name + "' in cascade " + file);
  return it->second;
}

std::int64_t Cascade::iterations(int var) const {
  for (const auto& s : stops)
    if (s.var == var) return s.bound;
  return ranks[static_cast<std::size_t>(var)].size;
}

std::int64_t Cascade::var_range(const Einsum& e, int var) const {
  // A recurrence (left index v+c with c != 0) iterates v only up to its stop bound.
  for (const auto& idx : e.lhs.indices)
    if (idx.is_var_plus_offset() && idx.var() == var && idx.constant != 0) return iterations(var);
  return ranks[static_cast<std::size_t>(var)].size;
}

void collect_refs(const Expr& e, std::vector<const TensorRef*>& out) {
  if (e.kind == Expr::Kind::Tensor) out.push_back(&e.ref);
  for (const auto& a : e.args) collect_refs(a, out);
}

void collect_index_values(const Expr& e, std::vector<int>& out) {
  if (e.kind == Expr::Kind::Index && std::find(out.begin(), out.end(), e.var) == out.end()) out.push_back(e.var);
  for (const auto& a : e.args) collect_index_values(a, out);
}

void collect_vars(const AffineIndex& a, std::vector<int>& out) {
  for (const auto& t : a.terms)
    if (std::find(out.begin(), out.end(), t.first) == out.end()) out.push_back(t.first);
}

std::vector<int> Cascade::reduced_vars(const Einsum& e) const {
  std::vector<int> left, right;
  for (const auto& idx : e.lhs.indices) collect_vars(idx, left);
  std::vector<const TensorRef*> refs;
  collect_refs(e.rhs, refs);
  for (const auto* r : refs)
    for (const auto& idx : r->indices) collect_vars(idx, right);
  collect_index_values(e.rhs, right);
  std::vector<int> out;
  for (int v : right)
    if (std::find(left.begin(), left.end(), v) == left.end()) out.push_back(v);
  return out;
}

std::string Cascade::reduce_op(const Einsum& e, int var) const {
  for (const auto& r : e.reduces)
    if (r.var == var) return r.op;
  return "sum";
}

std::string index_text(const TensorRef& r) {
  if (r.indices.empty()) return r.name;
  std::string s = r.name + "[";
  for (std::size_t i = 0; i < r.indices.size(); ++i) s += (i ? "," : "") + r.indices[i].text;
  return s + "]";
}

}  // namespace einsum
}  // namespace streamsim
