#include "sim/core/registry.h"

#include <algorithm>

#include "sim/core/error.h"

namespace streamsim {

UnitRegistry& UnitRegistry::instance() {
  static UnitRegistry registry;
  return registry;
}

void UnitRegistry::add(UnitTypeInfo info) {
  if (find(info.type)) throw Error("unit type '" + info.type + "' registered twice");
  infos_.push_back(std::move(info));
}

const UnitTypeInfo* UnitRegistry::find(const std::string& type) const {
  for (const auto& i : infos_)
    if (i.type == type) return &i;
  return nullptr;
}

const UnitTypeInfo& UnitRegistry::get(const std::string& type, const SourceLoc& loc) const {
  if (const UnitTypeInfo* info = find(type)) return *info;
  std::string msg = "unknown unit type '" + type + "'";
  std::string near = nearest_name(type, types());
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  msg += " (valid types: " + join_names(types()) + "; `streamsim units` documents them)";
  throw Error(loc, msg);
}

std::vector<std::string> UnitRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& i : infos_) out.push_back(i.type);
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<Unit> make_unit(const std::string& type, const std::string& name, const Params& params) {
  const UnitTypeInfo& info = UnitRegistry::instance().get(type);
  Params complete = info.schema.complete(params, "unit '" + name + "' (type " + type + ")");
  return info.make(name, complete);
}

}  // namespace streamsim
