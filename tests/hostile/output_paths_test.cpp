// Output paths an attacker or a careless user would give (docs/limits.md, "Output files"):
// devices, FIFOs, links, folders, sockets, paths through files. Each case checks the exit
// status, that the message names the option and the path, and that nothing but the output
// path changed (the scratch folder's tree, /dev/null's kind).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <thread>

#include "tests/support/file_tree_snapshot.h"
#include "tests/support/run_streamsim.h"
#include "tests/support/scratch_dir.h"

namespace streamsim::testing {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A run that would take tens of seconds if it ran: a path checked before the run fails at
// once, and the text report (printed after the run) never appears.
const char* const kLongRun = "run configs/pipeline.yaml --set tokens=300000000 --no-progress";

class OutputPaths : public ::testing::Test {
 protected:
  void SetUp() override { dev_null_ = node_kind("/dev/null"); }
  void TearDown() override { EXPECT_EQ(node_kind("/dev/null"), dev_null_); }
  // Changes in the scratch folder other than `allowed` (paths relative to it).
  std::set<std::string> changes(const FileTreeSnapshot& before,
                                const std::set<std::string>& allowed = {}) const {
    return FileTreeSnapshot(dir_.path()).changes_since(before, allowed);
  }
  ScratchDir dir_{"hostile-out"};
  std::string dev_null_;
};

TEST_F(OutputPaths, JsonToDevNullKeepsTheDevice) {
  const FileTreeSnapshot before(dir_.path());
  const CliResult r =
      run_streamsim("run configs/pipeline.yaml --json /dev/null --timeline /dev/null", dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "status      finished")) << r.out;
  EXPECT_TRUE(changes(before).empty());
  EXPECT_EQ(node_kind("/dev/null"), dev_null_);
}

TEST_F(OutputPaths, JsonToAFifoReachesItsReader) {
  const std::string fifo = dir_ / "report.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const FileTreeSnapshot before(dir_.path());
  std::string received;
  std::thread reader([&] { received = slurp(fifo); });
  const CliResult r = run_streamsim("run configs/pipeline.yaml -q --json " + fifo, dir_.path());
  // Should the binary never open the FIFO, release the reader (it then reads nothing).
  const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
  if (fd >= 0) ::close(fd);
  reader.join();
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(received, "\"cycles\"")) << received;
  EXPECT_TRUE(changes(before).empty());  // still the FIFO, no file beside it
}

TEST_F(OutputPaths, ASymlinkIsFollowedAndStaysALink) {
  dir_.write("kept.json", "old");
  ASSERT_EQ(::symlink("kept.json", (dir_ / "latest.json").c_str()), 0);
  const FileTreeSnapshot before(dir_.path());
  const CliResult r =
      run_streamsim("run configs/pipeline.yaml -q --json " + (dir_ / "latest.json"), dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir_ / "latest.json"));
  EXPECT_TRUE(has(slurp(dir_ / "kept.json"), "\"cycles\""));
  EXPECT_EQ(changes(before, {"/kept.json"}), std::set<std::string>{});
}

TEST_F(OutputPaths, APathThroughARegularFileFailsBeforeTheRun) {
  dir_.write("notes.txt", "my notes");
  const FileTreeSnapshot before(dir_.path());
  const std::string path = dir_ / "notes.txt/run.json";
  const CliResult r = run_streamsim(std::string(kLongRun) + " --json " + path, dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--json '" + path + "': a folder on its path is a file")) << r.err;
  EXPECT_EQ(r.out, "");  // no report: the run never started
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, AFolderAsTheTraceFileIsRefused) {
  fs::create_directories(dir_ / "traces");
  dir_.write("traces/old.vcd", "keep");
  const FileTreeSnapshot before(dir_.path());
  const CliResult r =
      run_streamsim(std::string(kLongRun) + " --trace " + (dir_ / "traces"), dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--trace '" + (dir_ / "traces") + "': it is a folder")) << r.err;
  EXPECT_TRUE(has(r.err, "/traces/result.json")) << r.err;  // the fix: a file in it
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, ASocketIsRefused) {
  const std::string sock = dir_ / "s";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const FileTreeSnapshot before(dir_.path());
  const CliResult r = run_streamsim(std::string(kLongRun) + " --timeline " + sock, dir_.path());
  ::close(s);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--timeline '" + sock + "': it is a socket")) << r.err;
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, TwoOptionsOnOneFileAreRefused) {
  const FileTreeSnapshot before(dir_.path());
  const std::string path = dir_ / "r.json";
  const CliResult r =
      run_streamsim(std::string(kLongRun) + " --json " + path + " --timeline " + path, dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--json '" + path + "' and --timeline '" + path + "' name the same file"))
      << r.err;
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, DashIsTheStandardOutputForEveryOption) {
  const FileTreeSnapshot before(dir_.path());
  const CliResult r = run_streamsim("run configs/pipeline.yaml --trace -", dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "$enddefinitions $end")) << r.out;  // the VCD, not the text report
  EXPECT_FALSE(has(r.out, "status      finished"));
  EXPECT_TRUE(changes(before).empty());  // no file named '-'
  const CliResult both = run_streamsim("run configs/pipeline.yaml --json - --trace -", dir_.path());
  EXPECT_EQ(both.code, 1);
  EXPECT_TRUE(has(both.err, "both write to the standard output")) << both.err;
}

TEST_F(OutputPaths, AFullDeviceFailsWithTheReasonAndStaysADevice) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full here";
  const std::string full = node_kind("/dev/full");
  const CliResult r = run_streamsim("run configs/pipeline.yaml -q --json /dev/full", dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--json '/dev/full': writing: No space left on device")) << r.err;
  EXPECT_EQ(node_kind("/dev/full"), full);
}

TEST_F(OutputPaths, MissingFoldersAreCreated) {
  const FileTreeSnapshot before(dir_.path());
  const CliResult r = run_streamsim(
      "run configs/pipeline.yaml -q --json " + (dir_ / "out/a/run.json"), dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(slurp(dir_ / "out/a/run.json"), "\"cycles\""));
  EXPECT_EQ(changes(before, {"/out"}), std::set<std::string>{});
  // Only the report in the new folder: the probe file is gone, no temporary is left.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir_ / "out/a")) names.push_back(e.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"run.json"});
}

TEST_F(OutputPaths, ASymlinkLoopIsRefused) {
  ASSERT_EQ(::symlink("b.json", (dir_ / "a.json").c_str()), 0);
  ASSERT_EQ(::symlink("a.json", (dir_ / "b.json").c_str()), 0);
  const FileTreeSnapshot before(dir_.path());
  const CliResult r =
      run_streamsim(std::string(kLongRun) + " --json " + (dir_ / "a.json"), dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--json '" + (dir_ / "a.json") + "': more than 40 symbolic links"))
      << r.err;
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, CompileOutputThroughALinkKeepsTheLink) {
  dir_.write("graph.yaml", "old");
  ASSERT_EQ(::symlink("graph.yaml", (dir_ / "current.yaml").c_str()), 0);
  const FileTreeSnapshot before(dir_.path());
  const CliResult r = run_streamsim(
      "compile configs/cascades/attention_3pass.cascade --order p,m --set M=8 --set P=8 -o " +
          (dir_ / "current.yaml"),
      dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir_ / "current.yaml"));
  EXPECT_TRUE(has(slurp(dir_ / "graph.yaml"), "units:"));
  EXPECT_EQ(changes(before, {"/graph.yaml"}), std::set<std::string>{});
}

TEST_F(OutputPaths, GraphOutputToAFolderFailsBeforeLoading) {
  const FileTreeSnapshot before(dir_.path());
  // The config does not exist: the output path is checked first, so its error is the one shown.
  const CliResult r =
      run_streamsim("graph no/such/config.yaml --dot -o " + dir_.path(), dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--output '" + dir_.path() + "': it is a folder")) << r.err;
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, SweepOutIntoARegularFileFailsBeforeAnyPoint) {
  dir_.write("results", "not a folder");
  const FileTreeSnapshot before(dir_.path());
  const CliResult r = run_streamsim(
      "sweep configs/studies/softmax_row_depth.yaml -j 1 --out " + (dir_ / "results"), dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--out '" + (dir_ / "results") +
                             "' as the output folder: it exists and is not a folder"))
      << r.err;
  EXPECT_FALSE(has(r.err, "points"));  // nothing ran
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, MergeOutThroughAFileFailsAndChangesNothing) {
  dir_.write("file", "x");
  const FileTreeSnapshot before(dir_.path());
  const CliResult r =
      run_streamsim("merge " + dir_.path() + " --out " + (dir_ / "file/merged"), dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--out '" + (dir_ / "file/merged") + "'")) << r.err;
  EXPECT_TRUE(has(r.err, "a folder on its path is a file")) << r.err;
  EXPECT_TRUE(changes(before).empty());
}

TEST_F(OutputPaths, ABlockDeviceIsRefusedAndKept) {
  std::string device;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev", ec)) {
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) == 0 && S_ISBLK(st.st_mode)) {
      device = e.path().string();
      break;
    }
  }
  if (device.empty()) GTEST_SKIP() << "no block device in /dev here";
  struct stat before {}, after {};
  ASSERT_EQ(::lstat(device.c_str(), &before), 0);
  const CliResult r = run_streamsim(std::string(kLongRun) + " --trace " + device, dir_.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--trace '" + device + "': it is a block device")) << r.err;
  ASSERT_EQ(::lstat(device.c_str(), &after), 0);
  EXPECT_TRUE(S_ISBLK(after.st_mode));
  EXPECT_EQ(after.st_rdev, before.st_rdev);
  EXPECT_EQ(after.st_mtime, before.st_mtime);
}

TEST_F(OutputPaths, SpatialJsonToDevNull) {
  const CliResult r = run_streamsim(
      "spatial configs/spatial/fusemax.yaml --arch configs/spatial/cloud.yaml --seq 1024 --json "
      "/dev/null",
      dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "cycles")) << r.out;
  EXPECT_EQ(node_kind("/dev/null"), dev_null_);
}

}  // namespace
}  // namespace streamsim::testing
