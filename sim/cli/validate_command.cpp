// `streamsim validate FILE`: load and check an architecture without running it.
#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/config_args.h"
#include "sim/core/plural.h"

namespace streamsim::cli {

void add_validate_command(CLI::App& app) {
  auto args = std::make_shared<ConfigArgs>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "check an architecture file (keys, types, parameters, connections, cycles) without running it");
  add_config_args(*cmd, *args);
  cmd->callback([args] {
    LoadedConfig cfg = load_config(*args);  // validates the graph
    std::cout << "ok: " << count_of(static_cast<std::uint64_t>(cfg.graph.unit_count()), "unit")
              << ", " << count_of(static_cast<std::uint64_t>(cfg.graph.channel_count()), "channel")
              << "\n";
  });
}

}  // namespace streamsim::cli
