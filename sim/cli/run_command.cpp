// `streamsim run FILE`: simulate an architecture and report cycles, throughput, utilization
// and buffer use (text on stdout, JSON with --json).
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <memory>

#include "sim/cli/cascade_config.h"
#include "sim/cli/commands.h"
#include "sim/cli/config_args.h"
#include "sim/cli/run_progress.h"
#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "sim/report/atomic_file.h"
#include "sim/report/report.h"
#include "sim/report/sink_checks.h"

namespace streamsim::cli {

namespace {

struct RunArgs {
  ConfigArgs config;
  std::string engine = "fast";
  std::string json;
  Cycle max_cycles = 0;
  bool quiet = false;
  bool progress = false, no_progress = false;
  std::string order;       // cascade files only
  std::uint64_t seed = 1;  // cascade files only
  std::int64_t fiber_slack = kAutoFiberSlack;
};

void run(const RunArgs& args) {
  // A cascade is compiled first (its --set are rank sizes); its sinks expect the evaluator's
  // values.
  std::string compile_report;
  LoadedConfig cfg;
  if (is_cascade_file(args.config.file)) {
    CompiledConfig cc = compile_cascade_config(
        args.config.file, args.order, args.config.sets, args.seed,
        args.fiber_slack == kAutoFiberSlack ? std::nullopt
                                            : std::optional<std::int64_t>(args.fiber_slack));
    cfg = std::move(cc.config);
    compile_report = std::move(cc.report);
  } else {
    if (!args.order.empty())
      throw Error("--order applies to cascade files (.cascade) only; " + args.config.file +
                  " is not one");
    cfg = load_config(args.config);
  }
  std::unique_ptr<Engine> engine = make_engine(args.engine);
  RunOptions options;
  options.max_cycles = args.max_cycles;
  // Progress on a terminal unless --no-progress, or anywhere with --progress; Ctrl-C always
  // stops the run cleanly (the monitor is what the engine polls for it).
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  RunProgressMonitor monitor(std::cerr, !args.no_progress && (args.progress || terminal), terminal,
                             args.max_cycles, terminal ? 0.5 : 2.0);
  options.monitor = &monitor;
  RunResult result = engine->run(cfg.graph, options);
  monitor.done();

  ReportContext context;
  context.config = cfg.file;
  context.params = params_json(cfg.params);
  const bool json_to_stdout = args.json == "-";
  if (!args.quiet && !json_to_stdout) {
    if (!compile_report.empty()) std::cout << "compiled: " << compile_report;
    std::cout << text_report(cfg.graph, result, context) << std::flush;
  }
  if (!args.json.empty()) {
    std::string text = json_report(cfg.graph, result, context).dump(2) + "\n";
    if (json_to_stdout)
      std::cout << text << std::flush;
    else
      write_file_atomically(args.json, text);
  }
  switch (result.status) {
    case RunStatus::Finished: {
      bool failed = false;
      for (const SinkCheck& c : sink_checks(result)) {
        if (c.passed()) continue;
        failed = true;
        std::cerr << "streamsim: check failed: sink '" << c.unit << "' received " << c.received
                  << " values, expected " << c.expected << "; " << c.mismatches
                  << " mismatches, the first at value " << c.first_mismatch << ", max abs error "
                  << c.max_abs_error << "\n";
      }
      if (failed) throw CommandExit{kExitCheckFailed};
      break;
    }
    case RunStatus::Deadlock:
      std::cerr << "streamsim: " << result.deadlock.explain() << "\n";
      throw CommandExit{kExitDeadlock};
    case RunStatus::Interrupted:
      std::cerr << "streamsim: interrupted at cycle " << result.cycles << " ("
                << strsignal(monitor.stop_signal()) << "); the report above is of the run so far\n";
      throw CommandExit{kExitInterrupted};
    case RunStatus::MaxCycles:
      std::cerr << "streamsim: stopped: the run passed --max-cycles " << args.max_cycles
                << " before finishing (cycle " << result.cycles
                << "); raise or drop --max-cycles\n";
      throw CommandExit{kExitMaxCycles};
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run",
                                     "simulate an architecture file (or a cascade file, compiled "
                                     "first) and report its performance");
  add_config_args(*cmd, args->config);
  cmd->add_option("--engine", args->engine,
                  "simulation engine: fast (default) or systemc (reference)")
      ->capture_default_str();
  cmd->add_option("--json", args->json,
                  "also write the report as JSON to this file ('-' = stdout), atomically")
      ->type_name("OUT");
  cmd->add_option("--max-cycles", args->max_cycles,
                  "stop once a unit's clock passes N (0 = no limit); exit 3")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--order", args->order,
                  "FILE is a cascade (.cascade): streamed ranks, outermost first, e.g. p,m; its "
                  "--set are rank sizes "
                  "(RANK=N)");
  cmd->add_option("--seed", args->seed,
                  "FILE is a cascade: seed of the input values (sinks expect the evaluator's)");
  cmd->add_option("--fiber-slack", args->fiber_slack,
                  "FILE is a cascade: FIFOs holding a fiber or chunk get (elements held + S) slots "
                  "(default: the summary path latency + 1, full throughput; "
                  "negative values probe the deadlock threshold)")
      ->type_name("S");
  cmd->add_flag("--progress", args->progress,
                "print progress on stderr (cycles, % of the sources' tokens, rate, ETA); default: "
                "when stderr is a terminal");
  cmd->add_flag("--no-progress", args->no_progress, "never print progress");
  cmd->add_flag("-q,--quiet", args->quiet,
                "print no text report (errors and diagnoses still go to stderr)");
  cmd->callback([args] { run(*args); });
}

}  // namespace streamsim::cli
