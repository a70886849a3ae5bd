#pragma once
// Shared vocabulary for the operator library: builders for documented parameter specs, the
// `ii`/`latency` pair every unit takes, and the error for parameter combinations that are
// individually valid but impossible together (so every unit words such errors alike).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/params.h"

namespace streamsim::units {

constexpr double kNoMax = 1e300;
constexpr int kMaxWidth = 1 << 20;  // a token is at most this many doubles

ParamSpec int_param(const std::string& name, std::optional<std::string> default_value, double min,
                    double max, const std::string& doc);
ParamSpec double_param(const std::string& name, std::optional<std::string> default_value,
                       const std::string& doc, double min = -1e300, double max = kNoMax);
ParamSpec string_param(const std::string& name, std::optional<std::string> default_value,
                       std::vector<std::string> choices, const std::string& doc);
ParamSpec bool_param(const std::string& name, const std::string& default_value,
                     const std::string& doc);
ParamSpec list_param(const std::string& name, const std::string& doc);  // default: empty list
// `width` (int in [1, kMaxWidth], default 1) with the given doc.
ParamSpec width_param(const std::string& name, const std::string& doc);

// `ii` and `latency` (ints >= 1, default 1) appended to a unit's own specs.
ParamSchema with_timing(std::vector<ParamSpec> specs);
// Same, but with the latency default replaced (e.g. "0" meaning "derive").
ParamSchema with_timing(std::vector<ParamSpec> specs, const ParamSpec& latency);

// "unit 'x' (type map)", the prefix ParamSchema uses, so messages read alike.
std::string unit_what(const std::string& name, const std::string& type);
// Throws Error "unit 'x' (type t): parameter 'p' <message>".
[[noreturn]] void param_error(const std::string& name, const std::string& type,
                              const std::string& param, const std::string& message);

// Integer parameter narrowed to int (the schema's range guarantees it fits).
int get_int32(const Params& p, const std::string& name);

}  // namespace streamsim::units
