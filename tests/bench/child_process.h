#pragma once
// Runs this very executable again as a child process and captures its standard output. The
// benchmark measures every variant in a fresh process because SystemC's kernel cannot be
// started twice in one process (and a fresh process also keeps the measurements independent).
#include <string>
#include <vector>

namespace streamsim::bench {

struct ChildOutput {
  int exit_code = -1;  // valid when term_signal == 0
  int term_signal = 0;  // non-zero if the child was killed by a signal
  std::string out;      // everything the child wrote to stdout
};

// Spawns /proc/self/exe with `args` (argv[1..]); the child's stderr is the parent's.
// Throws std::runtime_error if the process cannot be started.
ChildOutput run_self(const std::vector<std::string>& args);

}  // namespace streamsim::bench
