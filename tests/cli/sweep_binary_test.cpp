// The `streamsim sweep` and `streamsim merge` commands end to end, on a shipped config:
// exit statuses, a failing point, and a SIGKILL of the real binary mid-sweep.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "sim/cli/sweep_files.h"
#include "tests/support/sweep_fixture.h"

namespace streamsim::sweep {
namespace {

using testing::ScratchDir;

// Starts the binary with `args`, output to `log`; returns its pid.
pid_t start(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv{const_cast<char*>(STREAMSIM_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(STREAMSIM_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run(const std::vector<std::string>& args, const std::string& log) { return wait_exit(start(args, log)); }

std::string study_text(const std::string& grid) {
  return std::string("config: ") + STREAMSIM_SOURCE_DIR + "/configs/softmax_row.yaml\n" + grid;
}

TEST(SweepBinary, DeadlocksAreResultsErrorsGiveExitOne) {
  ScratchDir dir("sweep-bin");
  // Points that deadlock are results: recorded (status failed, outcome deadlock), exit 0.
  std::string study = dir.write("s.yaml", study_text("grid:\n  N: [16, 64]\n  long_depth: [8, 80]\n"));
  EXPECT_EQ(run({"sweep", study, "-j", "2", "--out", dir / "out"}, dir / "log"), 0);
  std::string log = read_file(dir / "log");
  EXPECT_NE(log.find("2 finished, 2 deadlocked, 0 over --max-cycles, 0 errors of 4 points"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("'bc' waits for space on 'long' (8/8)"), std::string::npos) << log;
  std::string csv = read_file(dir / "out/results.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_NE(csv.find(",failed,deadlock,"), std::string::npos);

  // All points ok: exit 0. A point the loader refuses (depth 0) is an error: exit 1.
  std::string good = dir.write("g.yaml", study_text("grid:\n  N: [16, 32]\n"));
  EXPECT_EQ(run({"sweep", good, "--out", dir / "good"}, dir / "log"), 0);
  std::string error = dir.write("e.yaml", study_text("grid:\n  long_depth: [0, 80]\n"));
  EXPECT_EQ(run({"sweep", error, "--out", dir / "error"}, dir / "log"), 1);
  EXPECT_NE(read_file(dir / "error/results.csv").find(",failed,error,"), std::string::npos);
  // A parameter the config does not declare: the study fails at load, before any point.
  std::string bad = dir.write("b.yaml", study_text("grid:\n  M: [16]\n"));
  EXPECT_EQ(run({"sweep", bad, "--out", dir / "bad"}, dir / "log"), 1);
  EXPECT_NE(read_file(dir / "log").find("b.yaml:3:3: parameter 'M' is not declared"),
            std::string::npos)
      << read_file(dir / "log");
  EXPECT_FALSE(std::filesystem::exists(dir / "bad/points"));
  // An input error in the study itself: exit 1 before anything runs.
  std::string broken = dir.write("x.yaml", study_text("gird:\n  N: [16]\n"));
  EXPECT_EQ(run({"sweep", broken, "--out", dir / "x"}, dir / "log"), 1);
  EXPECT_NE(read_file(dir / "log").find("did you mean 'grid'?"), std::string::npos);
}

TEST(SweepBinary, SigkillOfTheCommandThenRestartEqualsAnUninterruptedRun) {
  ScratchDir dir("sweep-bin");
  // Big enough points that the kill lands mid-sweep.
  std::string study = dir.write("s.yaml", study_text("set: {rows: 4000}\ngrid:\n  N: [64, 128]\n"
                                                     "  long_depth: [130, 131, 132, 133, 134, 135, 136, 137]\n"));
  ASSERT_EQ(run({"sweep", study, "-j", "2", "--out", dir / "ref"}, dir / "log"), 0) << read_file(dir / "log");
  std::string out = dir / "out";
  pid_t pid = start({"sweep", study, "-j", "2", "--out", out}, dir / "log");
  for (int i = 0; i < 60000; ++i) {
    if (std::filesystem::is_directory(out + "/points") && list_files(out + "/points", ".json").size() >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, SIGKILL);
  ASSERT_EQ(wait_exit(pid), 128 + SIGKILL) << "the sweep ended before it could be killed";
  std::size_t done = list_files(out + "/points", ".json").size();
  ASSERT_LT(done, 16u);
  ASSERT_EQ(run({"sweep", study, "-j", "2", "--out", out}, dir / "log"), 0);
  EXPECT_NE(read_file(dir / "log").find(std::to_string(done) + " already done"), std::string::npos)
      << read_file(dir / "log");
  EXPECT_EQ(list_files(out + "/points", ".json").size(), 16u);
  EXPECT_EQ(read_file(out + "/results.csv"), read_file(dir / "ref/results.csv"));
}

TEST(SweepBinary, SigintStopsTheSweepKeepingFinishedPoints) {
  ScratchDir dir("sweep-bin");
  std::string study = dir.write("s.yaml", study_text("set: {rows: 4000}\ngrid:\n  N: [64, 128]\n"
                                                     "  long_depth: [130, 131, 132, 133, 134, 135, 136, 137]\n"));
  std::string out = dir / "out";
  pid_t pid = start({"sweep", study, "-j", "2", "--out", out}, dir / "log");
  for (int i = 0; i < 60000; ++i) {
    if (std::filesystem::is_directory(out + "/points") && list_files(out + "/points", ".json").size() >= 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, SIGINT);
  ASSERT_EQ(wait_exit(pid), 130) << read_file(dir / "log");
  std::string log = read_file(dir / "log");
  EXPECT_NE(log.find("interrupted;"), std::string::npos) << log;
  std::size_t done = list_files(out + "/points", ".json").size();
  // Interrupted points are not recorded as failed: the restart runs exactly the rest.
  ASSERT_EQ(run({"sweep", study, "-j", "2", "--out", out}, dir / "log"), 0);
  EXPECT_NE(read_file(dir / "log").find(std::to_string(done) + " already done, " + std::to_string(16 - done) +
                                        " to run"),
            std::string::npos)
      << read_file(dir / "log");
}

TEST(SweepBinary, ShardsMergeToTheFullSweep) {
  ScratchDir dir("sweep-bin");
  std::string study = dir.write("s.yaml", study_text("grid:\n  N: [8, 16, 32, 64]\n  long_depth: [70, 80]\n"));
  ASSERT_EQ(run({"sweep", study, "--out", dir / "full"}, dir / "log"), 0);
  ASSERT_EQ(run({"sweep", study, "--shard", "1/2", "--out", dir / "s1"}, dir / "log"), 0);
  // Merging one shard alone: missing points, exit 1.
  EXPECT_EQ(run({"merge", dir / "s1", "--out", dir / "m1"}, dir / "log"), 1);
  EXPECT_NE(read_file(dir / "log").find("missing points"), std::string::npos);
  ASSERT_EQ(run({"sweep", study, "--shard", "2/2", "--out", dir / "s2"}, dir / "log"), 0);
  EXPECT_EQ(run({"merge", dir / "s1", dir / "s2", "--out", dir / "merged"}, dir / "log"), 0) << read_file(dir / "log");
  EXPECT_EQ(read_file(dir / "merged/results.csv"), read_file(dir / "full/results.csv"));
  EXPECT_EQ(run({"sweep", study, "--shard", "3/2", "--out", dir / "x"}, dir / "log"), 1);
}

}  // namespace
}  // namespace streamsim::sweep
