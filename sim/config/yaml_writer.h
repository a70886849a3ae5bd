#pragma once
// Writes a Graph back as an architecture file (docs/yaml-format.md) that loads into the same
// graph: every unit with its parameters (those equal to their default left out unless asked
// for), every channel with its timing and initial tokens. Used by `streamsim graph --yaml` and by compilers that build
// graphs in C++ and hand users a file to edit.
#include <string>

#include "sim/config/loader.h"
#include "sim/core/graph.h"

namespace streamsim {

// Throws Error for a unit built by custom C++ code (no registered type to name in YAML).
struct YamlWriteOptions {
  ResolvedParams params;         // written as `params:`, for the record
  std::string description;
  bool include_defaults = false;  // also write parameters that equal their default
};
std::string graph_to_yaml(const Graph& graph, const YamlWriteOptions& options = {});

}  // namespace streamsim
