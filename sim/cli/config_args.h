#pragma once
// The arguments every subcommand that reads an architecture file shares: FILE and --set.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/config/loader.h"

namespace streamsim::cli {

struct ConfigArgs {
  std::string file;
  std::vector<std::string> sets;  // "name=value"
};

// Adds the positional FILE and the repeatable `--set NAME=VALUE` to `cmd`.
void add_config_args(CLI::App& cmd, ConfigArgs& args);

// Loads (and validates) the file with the --set overrides applied.
LoadedConfig load_config(const ConfigArgs& args);

// The resolved parameters as a JSON object (numbers stay numbers).
nlohmann::json params_json(const ResolvedParams& params);

}  // namespace streamsim::cli
