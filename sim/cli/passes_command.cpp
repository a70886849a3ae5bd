// `streamsim passes FILE [--set R=N]... [--json]`: the pass analysis of a cascade of
// extended Einsums (docs/einsum-language.md, "Pass analysis").
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/pass_analysis.h"
#include "sim/cli/commands.h"
#include "sim/core/error.h"

namespace streamsim::cli {

namespace {

struct PassesArgs {
  std::string file;
  std::vector<std::string> sets;
  bool json = false;
};

}  // namespace

void add_passes_command(CLI::App& app) {
  auto args = std::make_shared<PassesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "passes", "pass analysis of a cascade of extended Einsums: passes per input and rank, what forces each "
                "extra pass, live footprint per fiber");
  cmd->add_option("FILE", args->file, "cascade file (.cascade, see docs/einsum-language.md)")->required();
  cmd->add_option("--set", args->sets, "override a rank size, e.g. --set M=64 (repeatable)")->allow_extra_args(false);
  cmd->add_flag("--json", args->json, "print the report as JSON");
  cmd->callback([args] {
    einsum::Cascade c = einsum::parse_cascade_file(args->file, einsum::parse_size_overrides(args->sets));
    einsum::PassReport r = einsum::analyse_passes(c);
    std::cout << (args->json ? r.to_json() + "\n" : r.to_text());
  });
}

}  // namespace streamsim::cli
