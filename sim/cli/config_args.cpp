#include "sim/cli/config_args.h"

namespace streamsim::cli {

void add_config_args(CLI::App& cmd, ConfigArgs& args) {
  cmd.add_option("FILE", args.file, "YAML architecture file (docs/yaml-format.md)")->required();
  // One value per --set, so `--set a=1 FILE` does not swallow FILE.
  cmd.add_option("--set", args.sets, "override a `params:` entry, e.g. --set seq_len=128 (repeatable)")
      ->type_name("NAME=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

LoadedConfig load_config(const ConfigArgs& args) {
  LoadOptions options;
  for (const auto& s : args.sets) options.overrides.push_back(parse_override(s));
  return load_config_file(args.file, options);
}

nlohmann::json params_json(const ResolvedParams& params) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, v] : params) {
    switch (v.kind) {
      case ExprValue::Kind::Int: j[name] = v.i; break;
      case ExprValue::Kind::Double: j[name] = v.d; break;
      case ExprValue::Kind::String: j[name] = v.s; break;
    }
  }
  return j;
}

}  // namespace streamsim::cli
