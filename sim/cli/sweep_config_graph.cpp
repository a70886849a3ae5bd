// The graph builder the `sweep` command uses: the point's config file loaded by the YAML
// loader, with the study's `set:` and the point's parameters as `--set` overrides.
#include "sim/cli/sweep_runner.h"
#include "sim/config/loader.h"

namespace streamsim::sweep {

GraphBuilder config_graph_builder() {
  return [](const StudyPoint& point) {
    LoadOptions options;
    for (const auto& [name, value] : point.overrides) options.overrides.push_back(ParamOverride{name, value});
    return load_config_file(point.config, options).graph;
  };
}

}  // namespace streamsim::sweep
