// `streamsim validate FILE`: load and check an architecture without running it.
#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/config_args.h"

namespace streamsim::cli {

void add_validate_command(CLI::App& app) {
  auto args = std::make_shared<ConfigArgs>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "check an architecture file (keys, types, parameters, connections, cycles) without running it");
  add_config_args(*cmd, *args);
  cmd->callback([args] {
    LoadedConfig cfg = load_config(*args);  // validates the graph
    std::cout << "ok: " << cfg.graph.unit_count() << " units, " << cfg.graph.channel_count() << " channels\n";
  });
}

}  // namespace streamsim::cli
