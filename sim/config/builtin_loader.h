#pragma once
// The loader's path for files that ask for a built-in graph instead of listing units:
//
//   params: {N: 256}
//   builtin: sdpa
//   builtin_params: {variant: reordered, N: "${N}", D: 64}
//
// `params:` (with --set overrides) is resolved first, as for any file; every value of
// `builtin_params:` is then ${...}-substituted and handed to the registered builder as text.
#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/config/expression.h"
#include "sim/core/graph.h"

namespace streamsim {

// True if the file has `builtin:`. Throws Error (file:line) for `builtin_params:` without it.
bool wants_builtin_graph(const YAML::Node& root, const std::string& file);

// Builds the graph; errors name file:line:column, the key and the fix: `units:`,
// `channels:` or `defaults:` beside `builtin:`, an unknown graph name (with the nearest),
// a malformed or unknown builtin parameter (at that parameter's line).
Graph load_builtin_graph(const YAML::Node& root, const ExprScope& scope, const std::string& file);

}  // namespace streamsim
