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

einsum::SizeOverrides parse_sizes(const std::vector<std::string>& sets) {
  einsum::SizeOverrides sizes;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    std::size_t used = 0;
    long long value = 0;
    bool ok = eq != std::string::npos && eq > 0;
    if (ok) {
      try {
        value = std::stoll(s.substr(eq + 1), &used);
      } catch (const std::exception&) {
        ok = false;
      }
      ok = ok && used == s.size() - eq - 1 && value > 0;
    }
    if (!ok) throw Error("--set '" + s + "': expected RANK=SIZE with a positive integer size, e.g. --set M=64");
    sizes[s.substr(0, eq)] = static_cast<std::int64_t>(value);
  }
  return sizes;
}

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
    einsum::Cascade c = einsum::parse_cascade_file(args->file, parse_sizes(args->sets));
    einsum::PassReport r = einsum::analyse_passes(c);
    std::cout << (args->json ? r.to_json() + "\n" : r.to_text());
  });
}

}  // namespace streamsim::cli
