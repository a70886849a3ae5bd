#pragma once
// Text-parameter entry point to the SDPA builders, so a YAML file can ask for a built-in
// graph, e.g. `{builtin: sdpa, params: {variant: reordered, N: 256, D: 16, width: vector}}`:
// the config layer passes the params map here unchanged.
#include <map>
#include <string>
#include <vector>

#include "graphs/sdpa/sdpa_params.h"
#include "sim/core/graph.h"

namespace streamsim::sdpa {

// Keys: variant, N, D, heads, width, seed, score_scale, short_depth, long_depth, check,
// keep, and per unit `ii.<unit>` / `latency.<unit>` (unit names: sdpa_unit_names).
// Throws streamsim::Error naming an unknown key (with the nearest valid one) or a malformed
// value.
SdpaParams parse_sdpa_params(const std::map<std::string, std::string>& params);
Graph build_sdpa(const std::map<std::string, std::string>& params);

// The keys above with one line of documentation each (for `streamsim` help output).
const std::vector<std::pair<std::string, std::string>>& sdpa_param_docs();

}  // namespace streamsim::sdpa
