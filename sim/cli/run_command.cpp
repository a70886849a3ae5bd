// `streamsim run FILE`: simulate an architecture and report cycles, throughput, utilization
// and buffer use (text on stdout, JSON with --json).
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "sim/cli/cascade_config.h"
#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/cli/config_args.h"
#include "sim/cli/run_progress.h"
#include "sim/core/error.h"
#include "sim/core/plural.h"
#include "sim/engines/engine.h"
#include "sim/report/output_file.h"
#include "sim/report/report.h"
#include "sim/report/run_trace.h"
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
  std::string trace, timeline, trace_window;  // --trace FILE.vcd, --timeline FILE.json, FROM:TO
  std::uint64_t trace_limit = TraceWindow{}.max_events;
  std::uint64_t timeline_events = 200000;
  std::string order;       // cascade files only
  std::uint64_t seed = 1;  // cascade files only
  std::int64_t fiber_slack = kAutoFiberSlack;
};

// "FROM:TO" in cycles, either side may be empty ("1000:", ":5000"); "" = the whole run.
TraceWindow parse_trace_window(const std::string& text) {
  TraceWindow w;
  if (text.empty()) return w;
  const auto colon = text.find(':');
  auto number = [&](const std::string& part, Cycle fallback) -> Cycle {
    if (part.empty()) return fallback;
    std::size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(part, &used);
    } catch (...) {
    }
    if (used != part.size() || v < 0)
      throw Error("--trace-window '" + text + "': '" + part +
                  "' is not a cycle number; write FROM:TO, e.g. 1000:5000");
    return static_cast<Cycle>(v);
  };
  if (colon == std::string::npos)
    throw Error("--trace-window '" + text + "': write FROM:TO in cycles, e.g. 1000:5000");
  w.from = number(text.substr(0, colon), 0);
  w.to = number(text.substr(colon + 1), w.to);
  if (w.to <= w.from) throw Error("--trace-window '" + text + "': TO must be larger than FROM");
  return w;
}

void write_traces(const RunArgs& args, const Graph& graph, const RunResult& result,
                  const TraceRecorder& recorder) {
  const RunTrace trace(graph, result, recorder);
  if (trace.truncated())
    std::cerr << "streamsim: warning: the trace holds cycles " << trace.begin() << " to "
              << trace.end() << " only: its event budget (--trace-limit " << args.trace_limit
              << ") ran out; use --trace-window FROM:TO for later cycles or raise the limit\n";
  if (!args.trace.empty()) write_output_file(args.trace, vcd_trace(graph, trace), "--trace");
  if (!args.timeline.empty())
    write_output_file(args.timeline, timeline_json(graph, trace, args.timeline_events),
                      "--timeline");
}

// Where the figures of an interrupted run went, for the last line it prints.
std::string interrupted_report_note(bool text_printed, const std::string& json) {
  if (text_printed) return "the report above is of the run so far";
  if (json == "-") return "the JSON report above is of the run so far";
  if (!json.empty()) return "the report in '" + json + "' is of the run so far";
  return "no report was printed (--quiet)";
}

// Every file the run will write is checked (and its folder created) before anything is
// loaded or simulated: a bad path fails in milliseconds, not after an hours-long run.
std::vector<OutputPath> check_outputs(const RunArgs& args) {
  std::vector<OutputPath> outputs;
  auto add = [&](const char* option, const std::string& path) {
    if (!path.empty()) outputs.push_back(check_output_path(path, option));
  };
  add("--json", args.json);
  add("--trace", args.trace);
  add("--timeline", args.timeline);
  check_distinct_outputs(outputs);
  return outputs;
}

void run(const RunArgs& args) {
  const std::vector<OutputPath> outputs = check_outputs(args);
  // A file written to the standard output replaces the text report there.
  bool output_on_stdout = false;
  for (const auto& o : outputs) output_on_stdout |= o.kind == OutputPath::Kind::Stdout;
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
  std::optional<TraceRecorder> recorder;
  if (!args.trace.empty() || !args.timeline.empty()) {
    TraceWindow window = parse_trace_window(args.trace_window);
    window.max_events = args.trace_limit;
    recorder.emplace(make_trace_recorder(cfg.graph, window));
    options.trace = &*recorder;
  } else if (!args.trace_window.empty()) {
    throw Error("--trace-window needs --trace FILE.vcd or --timeline FILE.json");
  }
  RunResult result;
  try {
    result = engine->run(cfg.graph, options);
  } catch (const RunSetupInterrupted& e) {
    monitor.done();
    std::cerr << "streamsim: " << e.what() << " (" << strsignal(monitor.stop_signal()) << ")\n";
    throw CommandExit{kExitInterrupted};
  }
  monitor.done();
  if (recorder) write_traces(args, cfg.graph, result, *recorder);

  ReportContext context;
  context.config = cfg.file;
  context.params = params_json(cfg.params);
  const bool text_printed = !args.quiet && !output_on_stdout;
  if (text_printed) {
    if (!compile_report.empty()) std::cout << "compiled: " << compile_report;
    std::cout << text_report(cfg.graph, result, context) << std::flush;
  }
  if (!args.json.empty()) {
    write_output_file(args.json, json_report(cfg.graph, result, context).dump(2) + "\n", "--json");
  }
  switch (result.status) {
    case RunStatus::Finished: {
      bool failed = false;
      for (const SinkCheck& c : sink_checks(result)) {
        if (c.passed()) continue;
        failed = true;
        std::cerr << "streamsim: check failed: sink '" << c.unit << "' received "
                  << count_of(c.received, "value") << ", expected " << c.expected << "; "
                  << count_of(c.mismatches, "mismatch", "mismatches") << ", the first at value "
                  << c.first_mismatch << ", max abs error " << c.max_abs_error << "\n";
      }
      if (failed) throw CommandExit{kExitCheckFailed};
      break;
    }
    case RunStatus::Deadlock:
      std::cerr << "streamsim: " << result.deadlock.explain() << "\n";
      throw CommandExit{kExitDeadlock};
    case RunStatus::Interrupted:
      std::cerr << "streamsim: interrupted at cycle " << result.cycles << " ("
                << strsignal(monitor.stop_signal()) << "); "
                << interrupted_report_note(text_printed, args.json) << "\n";
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
      ->check(whole_number_at_least<Cycle>(0));
  cmd->add_option("--order", args->order,
                  "FILE is a cascade (.cascade): streamed ranks, outermost first, e.g. p,m; its "
                  "--set are rank sizes "
                  "(RANK=N)");
  cmd->add_option("--seed", args->seed,
                  "FILE is a cascade: seed of the input values (sinks expect the evaluator's)")
      ->check(unsigned_whole_number());
  cmd->add_option("--fiber-slack", args->fiber_slack,
                  "FILE is a cascade: FIFOs holding a fiber or chunk get (elements held + S) slots "
                  "(default: the summary path latency + 1, full throughput; "
                  "negative values probe the deadlock threshold)")
      ->type_name("S");
  cmd->add_flag("--progress", args->progress,
                "print progress on stderr (cycles, % of the sources' tokens, rate, ETA); default: "
                "when stderr is a terminal");
  cmd->add_flag("--no-progress", args->no_progress, "never print progress");
  cmd->add_option("--trace", args->trace,
                  "write FIFO occupancy and unit busy/stall signals as a VCD (GTKWave), atomically")
      ->type_name("FILE.vcd");
  cmd->add_option("--timeline", args->timeline,
                  "write unit activity and FIFO occupancy as Chrome/Perfetto trace events (JSON), "
                  "atomically")
      ->type_name("FILE.json");
  cmd->add_option("--trace-window", args->trace_window,
                  "trace only cycles FROM to TO (either may be empty)")
      ->type_name("FROM:TO");
  cmd->add_option("--trace-limit", args->trace_limit,
                  "most events recorded for --trace/--timeline; past it the trace ends early, "
                  "exact up to where it ends")
      ->type_name("N")
      ->capture_default_str()
      ->check(unsigned_whole_number());
  cmd->add_option(
         "--timeline-events", args->timeline_events,
         "about this many events at most in --timeline: shorter spans are merged, occupancy binned")
      ->type_name("N")
      ->capture_default_str()
      ->check(unsigned_whole_number(1));
  cmd->add_flag("-q,--quiet", args->quiet,
                "print no text report (errors and diagnoses still go to stderr)");
  cmd->footer(
      "Exit status: 0 finished, 1 usage or input error, 2 deadlock, 3 --max-cycles reached,\n"
      "4 a sink's expected values did not match, 130 stopped by Ctrl-C or SIGTERM (the report\n"
      "still covers the run so far). Docs: docs/cli.md");
  cmd->callback([args] { run(*args); });
}

}  // namespace streamsim::cli
