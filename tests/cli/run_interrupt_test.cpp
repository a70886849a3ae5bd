// `streamsim run` under Ctrl-C: the run stops soon after SIGINT, still writes its text and
// JSON reports (status "interrupted", the figures reached so far) and exits 130. Also the
// progress line's content.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "sim/cli/run_progress.h"
#include "tests/support/asan_systemc.h"
#include "tests/support/run_streamsim.h"
#include "tests/support/scratch_dir.h"

namespace streamsim {
namespace {

using testing::slurp;

// Starts streamsim with `args` (stdout and stderr into files in `dir`), sends SIGINT after
// `delay`, and waits for it to end. Returns the exit status (-1 if killed by a signal).
// The wait is bounded so that a run that ignores Ctrl-C fails the test instead of hanging it.
int run_and_interrupt(const std::vector<std::string>& args, const std::string& dir,
                      std::chrono::milliseconds delay, double* seconds_to_stop) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(STREAMSIM_SOURCE_DIR) != 0) ::_exit(126);
    const int out = ::open((dir + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open((dir + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(STREAMSIM_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(STREAMSIM_BINARY, argv.data());
    ::_exit(127);
  }
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGINT);
  const auto sent = std::chrono::steady_clock::now();
  int status = 0;
  for (int i = 0; i < 600; ++i) {  // up to 60 s
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      *seconds_to_stop =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  ADD_FAILURE() << "streamsim did not stop within 60 s of SIGINT";
  return -2;
}

class RunInterrupt : public ::testing::TestWithParam<std::string> {
 protected:
  testing::ScratchDir scratch_{"interrupt"};
  const std::string dir_ = scratch_.path();
};

TEST_P(RunInterrupt, CtrlCStopsTheRunAndWritesTheReport) {
  if (testing::kAsanWithSystemCStacks && GetParam() == "systemc")
    GTEST_SKIP() << testing::asan_systemc_skip_reason();
  // A run of about a minute or more on either engine, stopped after 1.5 s.
  double seconds = 0;
  const int code =
      run_and_interrupt({"run", "configs/pipeline.yaml", "--engine", GetParam(), "--set",
                         "tokens=2000000000", "--progress", "--json", dir_ + "/report.json"},
                        dir_, std::chrono::milliseconds(1500), &seconds);
  const std::string err = slurp(dir_ + "/err");
  EXPECT_EQ(code, 130) << err;
  // How long it took to stop, for the log: the engines poll many times a second.
  std::cout << "stopped " << seconds << " s after SIGINT\n";
  EXPECT_NE(err.find("streamsim: interrupted at cycle "), std::string::npos) << err;
  EXPECT_NE(slurp(dir_ + "/out").find("status      interrupted"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(slurp(dir_ + "/report.json"));
  EXPECT_EQ(j["status"], "interrupted");
  EXPECT_GT(j["cycles"].get<long long>(), 0);
  EXPECT_LT(j["tokens_out"].get<long long>(), 2000000000LL);
}

// With -q there is no report above: the last line must not point at one. And the figures of
// the stopped run are ones the run really reached: no FIFO peak above the finished run's (the
// fast engine lets a producer run ahead of its consumer within a visit; those sends must not
// count as occupancy the consumer had not yet had the time to drain).
TEST_P(RunInterrupt, QuietRunSaysNoReportAndPeaksAreReal) {
  if (testing::kAsanWithSystemCStacks && GetParam() == "systemc")
    GTEST_SKIP() << testing::asan_systemc_skip_reason();
  const auto finished = testing::run_streamsim(
      "run -q configs/pipeline.yaml --engine " + GetParam() +
          " --set tokens=20000 --set depth=64 --json " + dir_ + "/finished.json",
      dir_);
  ASSERT_EQ(finished.code, 0) << finished.err;
  const nlohmann::json done = nlohmann::json::parse(slurp(dir_ + "/finished.json"));
  double seconds = 0;
  int code = run_and_interrupt({"run", "-q", "configs/pipeline.yaml", "--engine", GetParam(),
                                "--set", "tokens=2000000000", "--set", "depth=64"},
                               dir_, std::chrono::milliseconds(1000), &seconds);
  std::string err = slurp(dir_ + "/err");
  EXPECT_EQ(code, 130) << err;
  EXPECT_NE(err.find("no report was printed (--quiet)"), std::string::npos) << err;
  EXPECT_EQ(err.find("the report above"), std::string::npos) << err;
  code = run_and_interrupt(
      {"run", "-q", "configs/pipeline.yaml", "--engine", GetParam(), "--set", "tokens=2000000000",
       "--set", "depth=64", "--json", dir_ + "/stopped.json"},
      dir_, std::chrono::milliseconds(1000), &seconds);
  err = slurp(dir_ + "/err");
  EXPECT_EQ(code, 130) << err;
  EXPECT_NE(err.find("the report in '" + dir_ + "/stopped.json' is of the run so far"),
            std::string::npos)
      << err;
  const nlohmann::json stopped = nlohmann::json::parse(slurp(dir_ + "/stopped.json"));
  ASSERT_EQ(stopped["channels"].size(), done["channels"].size());
  for (std::size_t c = 0; c < done["channels"].size(); ++c)
    EXPECT_LE(stopped["channels"][c]["peak_occupancy"], done["channels"][c]["peak_occupancy"])
        << stopped["channels"][c]["name"];
}

INSTANTIATE_TEST_SUITE_P(BothEngines, RunInterrupt, ::testing::Values("fast", "systemc"),
                         [](const auto& info) { return info.param; });

TEST(RunProgressLine, ShowsCyclesPercentRateAndEta) {
  RunProgress p;
  p.cycle = 2500000;
  p.transfers = 10000000;
  p.work_done = 250;
  p.work_total = 1000;
  EXPECT_EQ(cli::RunProgressMonitor::format(p, 0, 10.0),
            "streamsim: cycle 2.50 M (25.0%), 250.0 kcycles/s, 1.00 Mtransfers/s, elapsed 0:10, "
            "ETA 0:30");
  // Without a source that knows its total, --max-cycles gives the percentage.
  p.work_total = 0;
  EXPECT_EQ(cli::RunProgressMonitor::format(p, 10000000, 3725.0),
            "streamsim: cycle 2.50 M (25.0%), 671 cycles/s, 2.7 ktransfers/s, elapsed 1:02:05, ETA "
            "3:06:15");
  EXPECT_EQ(cli::RunProgressMonitor::format(p, 0, 1.0).find("ETA"), std::string::npos);
}

}  // namespace
}  // namespace streamsim

namespace streamsim {
namespace {

class RunTraceCli : public ::testing::Test {
 protected:
  testing::ScratchDir scratch_{"trace-cli"};
  const std::string dir_ = scratch_.path();
};

TEST_F(RunTraceCli, TraceAndTimelineFilesAreWritten) {
  const auto r =
      testing::run_streamsim("run -q configs/fork_join.yaml --set groups=10 --trace " + dir_ +
                                 "/t.vcd --timeline " + dir_ + "/t.json --trace-window 100:400",
                             dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string vcd = slurp(dir_ + "/t.vcd");
  EXPECT_NE(vcd.find("$timescale 1ns $end"), std::string::npos);
  EXPECT_NE(vcd.find("$var integer 32"), std::string::npos);
  EXPECT_NE(vcd.find("#100\n$dumpvars"), std::string::npos);
  EXPECT_NE(vcd.find("\n#400\n"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(slurp(dir_ + "/t.json"));
  EXPECT_EQ(j["otherData"]["first_cycle"], 100);
  EXPECT_EQ(j["otherData"]["end_cycle"], 400);
  EXPECT_GT(j["traceEvents"].size(), 10u);
}

TEST_F(RunTraceCli, ABadWindowIsAnErrorNamingTheFix) {
  const auto r = testing::run_streamsim(
      "run -q configs/pipeline.yaml --trace " + dir_ + "/t.vcd --trace-window 500:100", dir_);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--trace-window '500:100': TO must be larger than FROM"), std::string::npos)
      << r.err;
  const auto r2 = testing::run_streamsim("run -q configs/pipeline.yaml --trace-window 1:2", dir_);
  EXPECT_EQ(r2.code, 1);
  EXPECT_NE(r2.err.find("--trace-window needs --trace"), std::string::npos) << r2.err;
}

TEST_F(RunTraceCli, ARunOutBudgetWarnsAndKeepsTheExactPart) {
  const auto r =
      testing::run_streamsim("run -q configs/pipeline.yaml --set tokens=100000 --trace " + dir_ +
                                 "/t.vcd --trace-limit 1000",
                             dir_);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: the trace holds cycles 0 to "), std::string::npos) << r.err;
  EXPECT_NE(slurp(dir_ + "/t.vcd").find("(truncated"), std::string::npos);
}

}  // namespace
}  // namespace streamsim
