#pragma once
// Writes a Graph back as an architecture file (docs/yaml-format.md) that loads into the same
// graph: every unit with all its parameters (defaults included), every channel with its
// timing and initial tokens. Used by `streamsim graph --yaml` and by compilers that build
// graphs in C++ and hand users a file to edit.
#include <string>

#include "sim/config/loader.h"
#include "sim/core/graph.h"

namespace streamsim {

// Throws Error for a unit built by custom C++ code (no registered type to name in YAML).
// `params` (optional) is written as the file's `params:` section, for the record.
std::string graph_to_yaml(const Graph& graph, const ResolvedParams& params = {},
                          const std::string& description = "");

}  // namespace streamsim
