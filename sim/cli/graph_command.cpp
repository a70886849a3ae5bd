// `streamsim graph FILE --dot`: render an architecture as Graphviz.
#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/config_args.h"
#include "sim/config/yaml_writer.h"
#include "sim/core/error.h"
#include "sim/report/output_file.h"

namespace streamsim::cli {

namespace {

struct GraphArgs {
  ConfigArgs config;
  bool dot = false;
  bool yaml = false;
  bool all_params = false;
  std::string out;
};

}  // namespace

void add_graph_command(CLI::App& app) {
  auto args = std::make_shared<GraphArgs>();
  CLI::App* cmd = app.add_subcommand(
      "graph", "print an architecture as Graphviz (--dot) or as resolved YAML (--yaml)");
  add_config_args(*cmd, args->config);
  auto* dot = cmd->add_flag("--dot", args->dot, "Graphviz dot (render with `dot -Tsvg`)");
  auto* yaml = cmd->add_flag("--yaml", args->yaml, "the graph with parameters and expressions resolved");
  dot->excludes(yaml);
  cmd->add_flag("--all-params", args->all_params, "with --yaml: also write parameters equal to their default");
  cmd->add_option("-o,--output", args->out, "write to this file instead of stdout")->type_name("OUT");
  cmd->callback([args] {
    if (!args->dot && !args->yaml) throw streamsim::Error("graph: choose an output format: --dot or --yaml");
    if (!args->out.empty()) check_output_path(args->out, "--output");
    LoadedConfig cfg = load_config(args->config);
    std::string text = args->dot ? cfg.graph.to_dot() : graph_to_yaml(cfg.graph, YamlWriteOptions{cfg.params, cfg.description, args->all_params});
    if (args->out.empty()) std::cout << text;
    else
      write_output_file(args->out, text, "--output");
  });
}

}  // namespace streamsim::cli
