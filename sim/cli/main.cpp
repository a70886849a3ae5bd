// The `streamsim` binary: everything lives in the library (sim/cli/app.cpp) so tests can
// drive the same code.
#include "sim/cli/commands.h"

int main(int argc, char** argv) { return streamsim::cli::run_cli(argc, argv); }
