#include "sim/units/unit_params.h"

#include "sim/core/error.h"
#include "sim/core/time_limits.h"

namespace streamsim::units {

ParamSpec int_param(const std::string& name, std::optional<std::string> default_value, double min,
                    double max, const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Int;
  s.default_value = std::move(default_value);
  s.min = min;
  s.max = max;
  s.doc = doc;
  return s;
}

ParamSpec double_param(const std::string& name, std::optional<std::string> default_value,
                       const std::string& doc, double min, double max) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Double;
  s.default_value = std::move(default_value);
  s.min = min;
  s.max = max;
  s.doc = doc;
  return s;
}

ParamSpec string_param(const std::string& name, std::optional<std::string> default_value,
                       std::vector<std::string> choices, const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::String;
  s.default_value = std::move(default_value);
  s.choices = std::move(choices);
  s.doc = doc;
  return s;
}

ParamSpec bool_param(const std::string& name, const std::string& default_value,
                     const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::Bool;
  s.default_value = default_value;
  s.doc = doc;
  return s;
}

ParamSpec list_param(const std::string& name, const std::string& doc) {
  ParamSpec s;
  s.name = name;
  s.type = ParamType::DoubleList;
  s.default_value = "";
  s.doc = doc;
  return s;
}

ParamSpec width_param(const std::string& name, const std::string& doc) {
  return int_param(name, "1", 1, kMaxWidth, doc);
}

static ParamSpec ii_spec() {
  return int_param("ii", "1", 1, static_cast<double>(kMaxDelay),
                   "initiation interval: cycles between two firings");
}

ParamSchema with_timing(std::vector<ParamSpec> specs) {
  return with_timing(std::move(specs),
                     int_param("latency", "1", 1, static_cast<double>(kMaxDelay),
                               "cycles from a firing to its outputs' visibility (below the "
                               "channel latency it acts as the channel latency)"));
}

ParamSchema with_timing(std::vector<ParamSpec> specs, const ParamSpec& latency) {
  specs.push_back(ii_spec());
  specs.push_back(latency);
  return ParamSchema(std::move(specs));
}

std::string unit_what(const std::string& name, const std::string& type) {
  return "unit '" + name + "' (type " + type + ")";
}

void param_error(const std::string& name, const std::string& type, const std::string& param,
                 const std::string& message) {
  throw Error(unit_what(name, type) + ": parameter '" + param + "' " + message);
}

int get_int32(const Params& p, const std::string& name) {
  return static_cast<int>(p.get_int(name));
}

}  // namespace streamsim::units
