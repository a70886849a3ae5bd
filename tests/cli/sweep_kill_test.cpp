// A sweep killed with SIGKILL mid-way and started again loses no point, runs no finished
// point twice, and ends with the same results as a sweep that was never interrupted.
#include <sys/stat.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <csignal>
#include <map>

#include "sim/cli/sweep_runner.h"
#include "tests/support/sweep_fixture.h"

namespace streamsim::sweep {
namespace {

using testing::quiet_options;
using testing::ScratchDir;
using testing::test_graph_builder;

ino_t inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

TEST(SweepKill, SigkillMidwayThenRestartLosesAndDuplicatesNothing) {
  ScratchDir dir("sweep-kill");
  dir.write("arch.yaml", "x");
  // Each point sleeps so that the kill lands while points are still running.
  std::string study = dir.write("s.yaml",
                                "config: arch.yaml\nset: {sleep_ms: 60}\n"
                                "grid:\n  tokens: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]\n");
  run_sweep(quiet_options(study, dir / "ref"), test_graph_builder());

  std::string out = dir / "out";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    run_sweep(quiet_options(study, out), test_graph_builder());
    ::_exit(0);
  }
  // Wait for a few finished points (bounded: the sweep itself ends in about half a second).
  for (int i = 0; i < 20000; ++i) {
    if (std::filesystem::is_directory(out + "/points") && list_files(out + "/points", ".json").size() >= 4) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";

  std::map<std::string, ino_t> before;
  for (const auto& f : list_files(out + "/points", ".json")) before[f] = inode(out + "/points/" + f);
  ASSERT_GE(before.size(), 4u);
  ASSERT_LT(before.size(), 16u);

  SweepSummary s = run_sweep(quiet_options(study, out), test_graph_builder());
  EXPECT_EQ(s.skipped, before.size());
  EXPECT_EQ(s.ran, 16u - before.size());
  EXPECT_EQ(s.redone, 0u);
  EXPECT_EQ(s.exit_code(), 0);
  // Finished points were not rewritten (same inode: no rename over them).
  for (const auto& [f, ino] : before) EXPECT_EQ(inode(out + "/points/" + f), ino) << f;
  EXPECT_EQ(list_files(out + "/points", ".json").size(), 16u);
  EXPECT_EQ(read_file(out + "/results.csv"), read_file(dir / "ref/results.csv"));
  // No temporary file of the killed run is left behind.
  for (const auto& e : std::filesystem::directory_iterator(out + "/points"))
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), 0u) << e.path();
}

TEST(SweepKill, OneSweepPerDirectoryAtATime) {
  ScratchDir dir("sweep-lock");
  DirLock first(dir.path());
  pid_t pid = ::fork();
  if (pid == 0) {
    try {
      DirLock second(dir.path());
    } catch (const Error&) {
      ::_exit(7);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

}  // namespace
}  // namespace streamsim::sweep
