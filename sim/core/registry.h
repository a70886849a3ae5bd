#pragma once
// Unit types register themselves by name with their documentation, ports and parameter
// schema (see STREAMSIM_REGISTER_UNIT); `streamsim units` prints this registry.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/params.h"
#include "sim/core/unit.h"

namespace streamsim {

struct PortDoc {
  std::string name;  // e.g. "in", or "out0..out{outputs-1}" for a variable number of ports
  std::string doc;
};

struct UnitTypeInfo {
  std::string type;
  std::string doc;
  std::vector<PortDoc> inputs, outputs;
  ParamSchema schema;
  // Builds a unit from validated parameters; may throw streamsim::Error for combinations of
  // parameters that are individually valid but impossible together.
  std::function<std::unique_ptr<Unit>(const std::string& name, const Params&)> make;
};

class UnitRegistry {
 public:
  static UnitRegistry& instance();
  void add(UnitTypeInfo info);
  const UnitTypeInfo* find(const std::string& type) const;
  // Like find, but throws an Error naming the nearest registered type and listing all.
  const UnitTypeInfo& get(const std::string& type, const SourceLoc& loc = {}) const;
  std::vector<std::string> types() const;  // sorted
  const std::vector<UnitTypeInfo>& all() const { return infos_; }

 private:
  std::vector<UnitTypeInfo> infos_;
};

struct UnitRegistrar {
  explicit UnitRegistrar(UnitTypeInfo info) { UnitRegistry::instance().add(std::move(info)); }
};

// Builds a unit of a registered type from typed params (defaults filled, ranges checked).
std::unique_ptr<Unit> make_unit(const std::string& type, const std::string& name, const Params& params);

}  // namespace streamsim

#define STREAMSIM_CONCAT_INNER(a, b) a##b
#define STREAMSIM_CONCAT(a, b) STREAMSIM_CONCAT_INNER(a, b)
// Usage (in the unit's .cpp): STREAMSIM_REGISTER_UNIT(make_map_info());
#define STREAMSIM_REGISTER_UNIT(info_expr) \
  static ::streamsim::UnitRegistrar STREAMSIM_CONCAT(streamsim_registrar_, __LINE__)(info_expr)
