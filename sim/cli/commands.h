#pragma once
// The `streamsim` subcommands. Each lives in its own file (sim/cli/<name>_command.cpp) and
// exposes one registration function that adds a subcommand with its options and callback to
// the app; app.cpp lists them. Adding a subcommand = one new file + one line in kCommands
// (see docs/cli.md, "Adding a subcommand").
#include <CLI/CLI.hpp>

namespace streamsim::cli {

// Exit statuses (documented in docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,        // usage or input error; message on stderr
  kExitDeadlock = 2,     // the run deadlocked; diagnosis on stderr
  kExitMaxCycles = 3,    // the run passed --max-cycles
  kExitCheckFailed = 4,  // a sink's `expect` values did not match
  kExitInterrupted = 130,  // stopped by Ctrl-C (SIGINT) or SIGTERM; the report covers the run so far
};

// Thrown by a command's callback to end the program with `code` (after its own output).
struct CommandExit {
  int code;
};

void add_run_command(CLI::App& app);
void add_validate_command(CLI::App& app);
void add_graph_command(CLI::App& app);
void add_units_command(CLI::App& app);
void add_passes_command(CLI::App& app);
void add_compile_command(CLI::App& app);
void add_sweep_command(CLI::App& app);  // sweep_command.cpp
void add_merge_command(CLI::App& app);  // sweep_command.cpp
void add_size_command(CLI::App& app);   // size_command.cpp
void add_spatial_command(CLI::App& app);  // spatial_command.cpp
void add_completion_command(CLI::App& app);  // completion_command.cpp

// Builds the app with every subcommand, parses argv, runs the chosen command and returns the
// exit status; every error is reported on stderr as "streamsim: error: ...".
int run_cli(int argc, const char* const* argv);

}  // namespace streamsim::cli
