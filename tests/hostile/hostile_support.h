#pragma once
// Shared by the hostile-input tests: run the binary with a bounded wall time, set an
// environment variable for one case, and check what a refusal must say.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>

#include "tests/support/run_streamsim.h"

namespace streamsim::testing {

// Sets (or, with nullopt, unsets) an environment variable for the lifetime of the object; the
// binary started by run_streamsim inherits it.
class EnvVar {
 public:
  EnvVar(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~EnvVar() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Runs `streamsim ARGS` under `timeout` so that a hang is a failure, not a stuck suite. The
// bound is generous (a refusal takes well under a second); it catches runaway work only.
inline CliResult run_bounded(const std::string& args, const std::string& scratch_dir,
                             int seconds = 60) {
  return run_streamsim_command(
      "timeout -s KILL " + std::to_string(seconds) + " '" STREAMSIM_BINARY "' " + args,
      scratch_dir);
}

// The refusal every hostile input must get: exit status 1, a message that names `where` (the
// file, line or option) and says `what`, and no crash.
inline void expect_refusal(const CliResult& r, const std::string& where, const std::string& what) {
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find(where), std::string::npos) << "message does not name '" << where << "':\n"
                                                  << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << "message does not say '" << what << "':\n"
                                                 << r.err;
  EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
}

// The same refusal when the message must hold several words (a unit or channel, a value, a
// limit): exit status 1, every one of `words` in stderr, and no internal error.
inline void expect_refusal_naming(const CliResult& r, std::initializer_list<std::string> words) {
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  for (const std::string& w : words)
    EXPECT_NE(r.err.find(w), std::string::npos) << w << "\n" << r.err;
  EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
}
}  // namespace streamsim::testing
