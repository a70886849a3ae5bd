#pragma once
// Runs the built `streamsim` binary the way a user would, for the CLI tests.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace streamsim::testing {

struct CliResult {
  int code = -1;  // exit status, -1 if the process did not exit normally
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the shell `command` from the source directory (so configs/... paths work), capturing
// stdout and stderr through files in `scratch_dir`, which must exist.
inline CliResult run_streamsim_command(const std::string& command, const std::string& scratch_dir) {
  const std::string out = scratch_dir + "/.streamsim.out", err = scratch_dir + "/.streamsim.err";
  const std::string cmd =
      "cd '" STREAMSIM_SOURCE_DIR "' && " + command + " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  return r;
}

// Runs `streamsim ARGS` (see run_streamsim_command).
inline CliResult run_streamsim(const std::string& args, const std::string& scratch_dir) {
  return run_streamsim_command("'" STREAMSIM_BINARY "' " + args, scratch_dir);
}

}  // namespace streamsim::testing
