// `streamsim size FILE`: per channel, the smallest depth that keeps the cycle count of the run
// with unbounded channels (sim/engines/depth_search.h), as a table plus the total.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/cli/config_args.h"
#include "sim/engines/depth_search.h"
#include "sim/engines/engine.h"
#include "sim/engines/unbounded_depth.h"
#include "sim/report/text_table.h"

namespace streamsim::cli {

namespace {

struct SizeArgs {
  ConfigArgs config;
  std::string engine = "fast";
  Cycle unbounded = 0;
};

void size(const SizeArgs& args) {
  LoadedConfig cfg = load_config(args.config);
  std::unique_ptr<Engine> engine = make_engine(args.engine);
  const Cycle unbounded =
      args.unbounded > 0 ? args.unbounded : find_unbounded_depth(cfg.graph, *engine);
  // Each channel costs a few runs: on a terminal, show how far the search is.
  const bool show = ::isatty(STDERR_FILENO) != 0;
  auto last = std::chrono::steady_clock::now();
  auto progress = [&](int done, int total) {
    auto now = std::chrono::steady_clock::now();
    if (!show || (done < total && now - last < std::chrono::milliseconds(250))) return;
    last = now;
    std::cerr << "\rsize: " << done << " of " << total << " channel" << (total == 1 ? "" : "s")
              << " searched" << (done == total ? "\r\033[K" : "") << std::flush;
  };
  DepthSearchResult r = search_min_depths(cfg.graph, *engine, unbounded, progress);

  std::cout << "config     " << cfg.file << "\n";
  if (!cfg.params.empty()) {
    std::cout << "params    ";
    for (const auto& [name, v] : cfg.params) std::cout << " " << name << "=" << v.text();
    std::cout << "\n";
  }
  std::cout << "engine     " << engine->name() << "\n"
            << "unbounded  " << r.unbounded_cycles << " cycles (every channel at depth "
            << unbounded << ")\n\n";

  // Every channel is searched with the others unbounded; `depth` is what the file asks for.
  TextTable table({"channel", "depth", "min depth"});
  Cycle configured = 0;
  for (int c = 0; c < cfg.graph.channel_count(); ++c) {
    const Cycle depth = cfg.graph.channel(c).timing.depth;
    configured += depth;
    table.add({r.channels[static_cast<std::size_t>(c)].channel, std::to_string(depth),
               std::to_string(r.channels[static_cast<std::size_t>(c)].depth)});
  }
  table.add({"total", std::to_string(configured), std::to_string(r.total_depth)});
  std::cout << table.render(1) << "\n";

  std::cout << "all at min depth: " << run_status_name(r.combined_status) << ", "
            << r.combined_cycles << " cycles";
  if (r.combined_status == RunStatus::Finished && r.combined_cycles == r.unbounded_cycles)
    std::cout << " (as unbounded)\n";
  else
    std::cout
        << "\n  (slower than unbounded: each minimum holds with the other channels unbounded, and "
           "together they interact; deepen the channels on the critical path)\n";
}

}  // namespace

void add_size_command(CLI::App& app) {
  auto args = std::make_shared<SizeArgs>();
  CLI::App* cmd = app.add_subcommand("size",
                                     "per channel, the smallest depth that keeps the cycle count "
                                     "of the run with unbounded channels");
  add_config_args(*cmd, args->config);
  cmd->add_option("--engine", args->engine,
                  "simulation engine: fast (default) or systemc (reference)")
      ->capture_default_str();
  cmd->add_option(
         "--unbounded-depth", args->unbounded,
         "depth standing for 'unbounded' (0 = doubled from 1024 until no channel fills half of it)")
      ->type_name("N")
      ->check(whole_number_at_least<Cycle>(0));
  cmd->callback([args] { size(*args); });
}

}  // namespace streamsim::cli
