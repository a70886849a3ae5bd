#pragma once
// A cascade file (.cascade) as something the CLI can simulate: parse it with the rank sizes
// given by --set, compile it for a loop order (graphs/einsum/compiler.h) and hand back the
// graph as a LoadedConfig, so `streamsim run FILE.cascade` runs it like a YAML file.
#include <cstdint>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/loader.h"

namespace streamsim::cli {

// True for paths ending in ".cascade".
bool is_cascade_file(const std::string& path);

struct CompiledConfig {
  LoadedConfig config;  // params: the order and every rank size, as strings and ints
  std::string report;   // the compiler's report (sized FIFOs and why)
};

// Throws streamsim::Error when the order is missing, a --set is malformed, or the cascade
// cannot be parsed or compiled (file:line:column of the Einsum).
CompiledConfig compile_cascade_config(const std::string& file, const std::string& order,
                                      const std::vector<std::string>& sets, std::uint64_t seed,
                                      std::optional<std::int64_t> fiber_slack = std::nullopt);

// The CLI's --fiber-slack when not given (the compiler derives the slack).
constexpr std::int64_t kAutoFiberSlack = INT64_MIN;

}  // namespace streamsim::cli
