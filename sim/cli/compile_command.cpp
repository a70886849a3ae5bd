// `streamsim compile FILE --order p,m [--set R=N]... [-o graph.yaml]`: lower a cascade of
// extended Einsums plus a loop order to an architecture file of library units
// (docs/einsum-language.md, "Compiling to a graph").
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/compiler.h"
#include "sim/cli/cascade_config.h"
#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/config/yaml_writer.h"
#include "sim/core/error.h"
#include "sim/report/output_file.h"

namespace streamsim::cli {

namespace {

struct CompileArgs {
  std::string file;
  std::string order;
  std::vector<std::string> sets;
  std::string output;
  std::uint64_t seed = 1;
  std::int64_t fiber_slack = kAutoFiberSlack;
};

}  // namespace

void add_compile_command(CLI::App& app) {
  auto args = std::make_shared<CompileArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compile", "lower a cascade of extended Einsums and a loop order to an architecture file of library units");
  cmd->add_option("FILE", args->file, "cascade file (.cascade, see docs/einsum-language.md)")->required();
  cmd->add_option("--order", args->order, "streamed ranks, outermost first, e.g. p,m (others are vector ranks)")
      ->required();
  cmd->add_option("--set", args->sets, "override a rank size, e.g. --set M=64 (repeatable)")->allow_extra_args(false);
  cmd->add_option("--seed", args->seed,
                  "seed of the input values (sinks expect the reference evaluator's outputs)")
      ->check(unsigned_whole_number());
  cmd->add_option("--fiber-slack", args->fiber_slack,
                  "FIFOs holding a fiber or chunk get (elements held + S) slots (default: the summary path latency + 1, full throughput; negative values probe "
                  "the deadlock threshold)")
      ->type_name("S");
  cmd->add_option("-o,--output", args->output, "write the YAML here instead of stdout");
  cmd->callback([args] {
    if (!args->output.empty()) check_output_path(args->output, "--output");
    std::optional<std::int64_t> slack;
    if (args->fiber_slack != kAutoFiberSlack) slack = args->fiber_slack;
    CompiledConfig cc = compile_cascade_config(args->file, args->order, args->sets, args->seed, slack);
    YamlWriteOptions yo;
    yo.description = cc.config.description;
    std::string yaml = graph_to_yaml(cc.config.graph, yo);
    if (args->output.empty()) {
      std::cout << yaml;
    } else {
      write_output_file(args->output, yaml, "--output");
      std::cerr << cc.report;
    }
  });
}

}  // namespace streamsim::cli
