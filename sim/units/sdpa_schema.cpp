#include "sim/units/sdpa_schema.h"

namespace streamsim::sdpa {

ParamSpec int_spec(const std::string& name, std::optional<std::string> def, double min, double max,
                   const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Int;
  s.default_value = std::move(def);
  s.min = min;
  s.max = max;
  s.doc = doc;
  return s;
}

ParamSpec double_spec(const std::string& name, std::optional<std::string> def, const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Double;
  s.default_value = std::move(def);
  s.doc = doc;
  return s;
}

ParamSpec string_spec(const std::string& name, std::optional<std::string> def,
                      std::vector<std::string> choices, const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::String;
  s.default_value = std::move(def);
  s.choices = std::move(choices);
  s.doc = doc;
  return s;
}

ParamSpec bool_spec(const std::string& name, const std::string& def, const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Bool;
  s.default_value = def;
  s.doc = doc;
  return s;
}

ParamSchema with_timing(std::vector<ParamSpec> specs) {
  specs.push_back(int_spec("ii", "1", 1, 1e9, "initiation interval: cycles between two firings"));
  specs.push_back(int_spec("latency", "1", 1, 1e9, "cycles from a firing to its outputs' visibility"));
  return ParamSchema(std::move(specs));
}

}  // namespace streamsim::sdpa
