#include "sim/config/builtin_graphs.h"

namespace streamsim {

BuiltinGraphRegistry& BuiltinGraphRegistry::instance() {
  static BuiltinGraphRegistry registry;  // constructed on first use: safe from static registrars
  return registry;
}

void BuiltinGraphRegistry::add(BuiltinGraphInfo info) {
  if (info.name.empty() || !info.build) throw Error("built-in graph registered without a name or a builder");
  const std::string name = info.name;
  if (!graphs_.emplace(name, std::move(info)).second)
    throw Error("built-in graph '" + name + "' is registered twice");
}

const BuiltinGraphInfo& BuiltinGraphRegistry::get(const std::string& name, const SourceLoc& loc) const {
  auto it = graphs_.find(name);
  if (it != graphs_.end()) return it->second;
  const std::vector<std::string> all = names();
  std::string msg = "unknown built-in graph '" + name + "'";
  const std::string near = nearest_name(name, all);
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  msg += all.empty() ? " (no built-in graphs are registered)" : " (built-in graphs: " + join_names(all) + ")";
  if (loc.file.empty() && loc.line == 0) throw Error(msg);
  throw Error(loc, msg);
}

std::vector<std::string> BuiltinGraphRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, info] : graphs_) out.push_back(name);
  return out;
}

}  // namespace streamsim
