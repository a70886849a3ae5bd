// Class 6 of issue 12: runs that would take the machine's memory before they start, and
// stopping them. What a run allocates in proportion to user numbers (FIFO rings, held tokens,
// tensors) is estimated first and refused above the memory limit (--memory-limit,
// STREAMSIM_MEMORY_LIMIT, default half of physical memory), naming the channel or unit and the
// bytes; SIGTERM acts within a second, also on a run whose firings copy wide tokens.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/hostile/hostile_support.h"
#include "tests/support/asan_systemc.h"
#include "tests/support/run_streamsim.h"
#include "tests/support/scratch_dir.h"

namespace streamsim {
namespace {

using testing::CliResult;
using testing::run_streamsim;

// source (tokens of `width` values) -> map -> sink, every channel of depth `depth`.
std::string wide_pipeline(long long width, long long depth) {
  const std::string w = std::to_string(width);
  return "defaults: {depth: " + std::to_string(depth) +
         "}\n"
         "units:\n"
         "  - {name: src, type: source, params: {kind: ramp, count: 4, width: " +
         w +
         "}}\n"
         "  - {name: m, type: map, params: {op: id, width: " +
         w +
         "}}\n"
         "  - {name: out, type: sink, params: {width: " +
         w +
         "}}\n"
         "channels:\n"
         "  - {from: src, to: m, name: wide}\n"
         "  - {from: m, to: out}\n";
}

class Memory : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (testing::kAsanWithSystemCStacks && GetParam() == "systemc")
      GTEST_SKIP() << testing::asan_systemc_skip_reason();
  }
  CliResult run(const std::string& yaml, const std::string& before, const std::string& extra) {
    const std::string file = scratch_.write("arch.yaml", yaml);
    return run_streamsim(
        before + "run " + file + " --engine " + GetParam() + " --no-progress " + extra,
        scratch_.path());
  }
  static void expect_error(const CliResult& r, std::initializer_list<std::string> words) {
    expect_refusal_naming(r, words);
  }
  testing::ScratchDir scratch_{"memory"};
};

TEST_P(Memory, TheIssuesWideDeepFifosAreRefusedByTheDefaultLimitNamingTheChannel) {
  // Width 10^6 and depth 1000: 1024 slots x 8 MB per channel, 16 GiB in all. Refused before
  // anything is allocated (at most a fraction of physical memory by default); give the test a
  // 4 GiB limit so that it refuses on any machine.
  const CliResult r = run(wide_pipeline(1000000, 1000), "--memory-limit 4G ", "");
  expect_error(r, {"channel 'wide' (depth 1000, token width 1000000)", "8192032768 bytes",
                   "--memory-limit", "4.00 GiB"});
}

TEST_P(Memory, TheDefaultLimitIsAShareOfPhysicalMemory) {
  // 2^32 slots of 2^20 doubles: 32 PiB, more than any machine has.
  const CliResult r = run(wide_pipeline(1 << 20, 1LL << 32), "", "");
  expect_error(r, {"channel 'wide'", "50% of physical memory", "PiB"});
}

TEST_P(Memory, TheLimitFromTheEnvironmentIsNamed) {
  // 131072 slots x 8 KB = 1 GiB: within the default limit of any test machine, not 64 MiB.
  ::setenv("STREAMSIM_MEMORY_LIMIT", "64M", 1);
  const CliResult r = run(wide_pipeline(1000, 100000), "", "");
  ::unsetenv("STREAMSIM_MEMORY_LIMIT");
  expect_error(r, {"channel 'wide' (depth 100000, token width 1000)", "STREAMSIM_MEMORY_LIMIT",
                   "64.00 MiB"});
}

TEST_P(Memory, ManyChannelsTogetherAreRefusedNamingTheTotalAndTheLargest) {
  // Each channel (4096 slots of 8 KB: 31 MiB) is within the 50 MiB limit, the two are not.
  const CliResult r = run(wide_pipeline(1000, 4000), "--memory-limit 50M ", "");
  expect_error(
      r, {"the run (2 channels; the largest is channel", "above the memory limit", "50.00 MiB"});
}

TEST_P(Memory, AReplayUnitsHeldGroupIsCheckedBeforeItIsAllocated) {
  const std::string yaml =
      "units:\n"
      "  - {name: src, type: source, params: {kind: ramp, count: 4, width: 1024}}\n"
      "  - {name: rp, type: replay, params: {group: 1000000000, count: 2, width: 1024}}\n"
      "  - {name: out, type: sink, params: {width: 1024}}\n"
      "channels:\n  - {from: src, to: rp}\n  - {from: rp, to: out}\n";
  expect_error(run(yaml, "", ""),
               {"unit 'rp' (type replay)", "group x width = 1000000000 x 1024", "TiB"});
}

TEST_P(Memory, AnSdpaSourceTensorIsCheckedBeforeItIsAllocated) {
  // N x D = 2^24 x 2^16 doubles: 8 TiB for one head.
  const std::string yaml =
      "units:\n"
      "  - {name: k, type: sdpa_source, params: {tensor: k, N: 16777216, D: 65536}}\n"
      "  - {name: out, type: sink, params: {width: 65536}}\n"
      "channels:\n  - {from: k, to: out}\n";
  expect_error(run(yaml, "", ""), {"unit 'k' (type sdpa_source)", "16777216 x 65536", "8.00 TiB"});
}

TEST_P(Memory, AMemoryLimitThatIsNotASizeIsRefusedNamingTheOption) {
  const CliResult r = run(wide_pipeline(4, 2), "--memory-limit lots ", "");
  expect_error(r, {"--memory-limit", "'lots'", "e.g. 8G"});
}

INSTANTIATE_TEST_SUITE_P(Engines, Memory, ::testing::Values("fast", "systemc"));

// Runs streamsim with `args`, sends SIGTERM after `delay`, and
// returns the seconds it took to end after the signal (or -1 if it needed SIGKILL after 30 s).
double seconds_to_stop(const std::string& args, const std::string& dir,
                       std::chrono::milliseconds delay, int* code) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    const std::string cmd = "cd '" STREAMSIM_SOURCE_DIR "' && exec '" STREAMSIM_BINARY "' " + args +
                            " >'" + dir + "/out' 2>'" + dir + "/err'";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGTERM);
  const auto sent = std::chrono::steady_clock::now();
  int status = 0;
  for (int i = 0; i < 3000; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      *code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

TEST(MemoryInterrupt, SigtermActsWithinASecondOnARunOfWideTokens) {
  // 100 stages passing tokens of 20000 doubles (160 KB; FIFOs of depth 8: 260 MB of rings in
  // all). Before, one chain wavefront ran 4096 rounds of 102 firings, 67 GB of copying between
  // two polls of the monitor, and SIGTERM waited for it; now the rounds and replays between
  // polls shrink with the token width.
  testing::ScratchDir scratch("memory-interrupt");
  std::string yaml =
      "defaults: {depth: 8}\nunits:\n"
      "  - {name: src, type: source, params: {kind: ramp, count: 1000000000, width: 20000}}\n";
  std::string channels = "channels:\n";
  std::string prev = "src";
  for (int i = 0; i < 100; ++i) {
    const std::string u = "m" + std::to_string(i);
    yaml += "  - {name: " + u + ", type: map, params: {op: id, width: 20000}}\n";
    channels += "  - {from: " + prev + ", to: " + u + "}\n";
    prev = u;
  }
  yaml += "  - {name: out, type: sink, params: {width: 20000}}\n";
  channels += "  - {from: " + prev + ", to: out}\n";
  const std::string file = scratch.write("wide.yaml", yaml + channels);
  int code = 0;
  const double s = seconds_to_stop("run " + file + " --no-progress", scratch.path(),
                                   std::chrono::milliseconds(1500), &code);
  const std::string err = testing::slurp(scratch / "err");
  ASSERT_GE(s, 0) << "streamsim did not stop within 30 s of SIGTERM\n" << err;
  EXPECT_LT(s, 5.0) << err;  // generous: the target is well under a second
  EXPECT_EQ(code, 130) << err;
  EXPECT_NE(err.find("interrupted"), std::string::npos) << err;
}

}  // namespace
}  // namespace streamsim
