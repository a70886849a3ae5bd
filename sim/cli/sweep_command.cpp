// `streamsim sweep STUDY.yaml --out DIR` and `streamsim merge DIR... --out OUT`
// (docs/sweeps.md, docs/cluster.md).
#include <iostream>
#include <memory>

#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/cli/spatial_sweep.h"
#include "sim/cli/sweep_merge.h"
#include "sim/cli/sweep_runner.h"
#include "sim/core/error.h"

namespace streamsim::cli {

namespace {

struct SweepArgs {
  sweep::SweepOptions options;
  std::string shard;
  double timeout = -1;
  Cycle max_cycles = -1;
  bool list = false;
};

// --list: the points in scope, one per line (id, then NAME=VALUE...), without running them.
void list_points(const SweepArgs& args, const sweep::Shard& shard) {
  sweep::Study study = sweep::load_study(args.options.study_path);
  for (const auto& p : study.points) {
    if (!sweep::in_shard(p.id, shard)) continue;
    std::cout << p.id;
    for (const auto& [k, v] : p.params) std::cout << "\t" << k << "=" << v;
    std::cout << "\n";
  }
}

struct MergeArgs {
  std::vector<std::string> dirs;
  std::string out;
};

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "run every point of a study (a grid over config parameters) in parallel; resumable");
  cmd->add_option("STUDY", args->options.study_path, "study file (docs/sweeps.md)")->required();
  cmd->add_option("--out", args->options.out_dir,
                  "output directory: points/<id>.json, results.csv, results.json (required unless --list)");
  cmd->add_option("-j,--jobs", args->options.jobs, "worker processes (default: one per CPU)")
      ->check(whole_number_at_least<int>(1));
  cmd->add_option("--shard", args->shard, "run only shard I of N (1-based), e.g. 2/4; combine with `merge`")
      ->type_name("I/N");
  cmd->add_option("--timeout", args->timeout,
                  "kill a point after SEC seconds and record it as an error (timeout; 0 = none)")
      ->type_name("SEC")
      ->check(number_at_least(0));
  cmd->add_option("--max-cycles", args->max_cycles,
                  "stop a point after N cycles and record it (outcome max_cycles; 0 = no limit)")
      ->type_name("N")
      ->check(whole_number_at_least<Cycle>(0));
  cmd->add_option("--engine", args->options.engine, "engine for every point (default: the study's, else fast)");
  cmd->add_flag("--retry-failed", args->options.retry_failed, "also rerun points recorded as failed");
  cmd->add_flag("--list", args->list, "check the study and print its points (of --shard) without running them");
  cmd->add_flag("--progress", args->options.progress, "print a line per finished point (default: when stderr is a terminal)");
  cmd->footer(
      "Exit status: 0 every point ran to a result (finished, deadlock or max_cycles, each\n"
      "recorded in results.csv), 1 some point ended in an error (or an input error),\n"
      "130 interrupted.\n"
      "Run the same command again to finish an interrupted sweep: finished points are kept.");
  cmd->callback([args] {
    sweep::SweepOptions o = args->options;
    if (!args->shard.empty()) o.shard = sweep::parse_shard(args->shard);
    if (is_spatial_study(o.study_path)) {  // `kind: spatial`: graphs/spatial's study (docs/spatial.md)
      int code = run_spatial_sweep({o.study_path, o.out_dir, o.engine, o.jobs, o.shard, args->list,
                                    o.retry_failed, o.progress});
      if (code != 0) throw CommandExit{code};
      return;
    }
    if (args->list) return list_points(*args, o.shard);
    if (o.out_dir.empty()) throw Error("sweep needs --out DIR (where the results go), or --list");
    if (args->timeout >= 0) o.timeout_seconds = args->timeout;
    if (args->max_cycles >= 0) o.max_cycles = args->max_cycles;
    sweep::SweepSummary s = sweep::run_sweep(o, sweep::config_graph_builder());
    if (s.exit_code() != 0) throw CommandExit{s.exit_code()};
  });
}

void add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app.add_subcommand("merge", "combine the output directories of a sweep's shards");
  cmd->add_option("DIR", args->dirs, "output directories of `streamsim sweep` (one per shard)")->required();
  cmd->add_option("--out", args->out, "directory for the merged results.csv and results.json")->required();
  cmd->footer(
      "Exit status: 0 complete and every point a result (finished, deadlock, max_cycles);\n"
      "1 points missing, conflicting or ended in an error.");
  cmd->callback([args] {
    sweep::MergeSummary s = sweep::merge_sweeps(args->dirs, args->out, std::cerr);
    if (s.exit_code() != 0) throw CommandExit{s.exit_code()};
  });
}

}  // namespace streamsim::cli
