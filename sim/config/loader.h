#pragma once
// Loads a YAML architecture file (docs/yaml-format.md) into a validated Graph.
#include <string>
#include <utility>
#include <vector>

#include "sim/config/expression.h"
#include "sim/core/graph.h"

namespace streamsim {

// One `--set name=value`.
struct ParamOverride {
  std::string name;
  std::string value;
};
// Parses "name=value"; throws Error when there is no '=' or no name.
ParamOverride parse_override(const std::string& text);

struct LoadOptions {
  std::vector<ParamOverride> overrides;  // applied in order; a later one wins
  bool validate = true;                  // run Graph::validate after building
};

using ResolvedParams = std::vector<std::pair<std::string, ExprValue>>;  // in file order

struct LoadedConfig {
  std::string file;
  std::string description;
  ResolvedParams params;  // every `params:` entry after overrides and expressions
  Graph graph;
};

// Throws streamsim::Error with file:line:column for every problem in the input.
LoadedConfig load_config_file(const std::string& path, const LoadOptions& options = {});
// `file` is only used in error messages.
LoadedConfig load_config_string(const std::string& yaml, const std::string& file,
                                const LoadOptions& options = {});

}  // namespace streamsim
