#include "sim/cli/cascade_config.h"

#include <sstream>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/compiler.h"
#include "sim/core/error.h"

namespace streamsim::cli {

bool is_cascade_file(const std::string& path) {
  const std::string ext = ".cascade";
  return path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
}

CompiledConfig compile_cascade_config(const std::string& file, const std::string& order,
                                      const std::vector<std::string>& sets, std::uint64_t seed,
                                      std::optional<std::int64_t> fiber_slack) {
  if (order.empty())
    throw Error(file + ": a cascade needs a loop order to compile: add --order, e.g. --order p,m "
                       "(streamed ranks outermost first; see docs/einsum-language.md)");
  einsum::Cascade c = einsum::parse_cascade_file(file, einsum::parse_size_overrides(sets));
  einsum::CompileOptions o;
  std::stringstream in(order);
  for (std::string r; std::getline(in, r, ',');)
    if (!r.empty()) o.order.push_back(r);
  o.inputs.seed = seed;
  o.fiber_slack = fiber_slack;
  einsum::CompiledCascade cc = einsum::compile_cascade(c, o);
  CompiledConfig out;
  out.config.file = file;
  out.config.description = "compiled from " + file + " with --order " + order;
  out.config.params.push_back({"order", ExprValue::of_string(order)});
  for (const auto& r : c.ranks) out.config.params.push_back({r.name, ExprValue::of_int(r.size)});
  out.report = cc.report();
  out.config.graph = std::move(cc.graph);
  return out;
}

}  // namespace streamsim::cli
