#pragma once
// Parameter-spec shorthands for the SDPA units (sdpa_source, softmax_scan, rescale_fold), so
// each unit file declares its schema in a few readable lines.
#include <optional>
#include <string>
#include <vector>

#include "sim/core/params.h"

namespace streamsim::sdpa {

ParamSpec int_spec(const std::string& name, std::optional<std::string> def, double min, double max,
                   const std::string& doc);
ParamSpec double_spec(const std::string& name, std::optional<std::string> def, const std::string& doc);
ParamSpec string_spec(const std::string& name, std::optional<std::string> def,
                      std::vector<std::string> choices, const std::string& doc);
ParamSpec bool_spec(const std::string& name, const std::string& def, const std::string& doc);
// Appends `ii` and `latency` (ints >= 1, default 1).
ParamSchema with_timing(std::vector<ParamSpec> specs);

}  // namespace streamsim::sdpa
