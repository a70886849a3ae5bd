#include "sim/report/output_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "sim/core/error.h"
#include "tests/support/scratch_dir.h"

namespace streamsim {
namespace {

using testing::ScratchDir;
namespace fs = std::filesystem;

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(OutputFile, WritesAndReplacesARegularFileLeavingNoTemporary) {
  ScratchDir dir("output-file");
  const std::string path = dir / "report.json";
  write_output_file(path, "first\n");
  EXPECT_EQ(read(path), "first\n");
  write_output_file(path, std::string(100000, 'x'));
  EXPECT_EQ(read(path), std::string(100000, 'x'));
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"report.json"});
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);  // not mkstemp's 0600
}

TEST(OutputFile, AReplacedFileKeepsItsPermissions) {
  ScratchDir dir("output-file");
  const std::string path = dir.write("private.json", "old");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  write_output_file(path, "new");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read(path), "new");
}

TEST(OutputFile, CreatesMissingFolders) {
  ScratchDir dir("output-file");
  const OutputPath out = check_output_path(dir / "a/b/report.json", "--json");
  EXPECT_EQ(out.kind, OutputPath::Kind::NewFile);
  EXPECT_TRUE(fs::is_directory(dir / "a/b"));
  EXPECT_TRUE(names_in(dir / "a/b").empty());  // the probe file is gone
  write_output_file(dir / "c/d/report.json", "x", "--json");
  EXPECT_EQ(read(dir / "c/d/report.json"), "x");
}

TEST(OutputFile, FollowsASymlinkAndKeepsIt) {
  ScratchDir dir("output-file");
  dir.write("real.json", "old");
  ASSERT_EQ(::symlink("real.json", (dir / "link.json").c_str()), 0);
  EXPECT_EQ(check_output_path(dir / "link.json", "--json").kind, OutputPath::Kind::RegularFile);
  write_output_file(dir / "link.json", "new");
  EXPECT_TRUE(fs::is_symlink(dir / "link.json"));
  EXPECT_EQ(read(dir / "real.json"), "new");
  // A dangling link: its target is created, through a chain of two links.
  ASSERT_EQ(::symlink("link3.json", (dir / "link2.json").c_str()), 0);
  ASSERT_EQ(::symlink("sub/target.json", (dir / "link3.json").c_str()), 0);
  write_output_file(dir / "link2.json", "through");
  EXPECT_TRUE(fs::is_symlink(dir / "link2.json"));
  EXPECT_TRUE(fs::is_symlink(dir / "link3.json"));
  EXPECT_EQ(read(dir / "sub/target.json"), "through");
}

TEST(OutputFile, ASymlinkLoopIsRefused) {
  ScratchDir dir("output-file");
  ASSERT_EQ(::symlink("b", (dir / "a").c_str()), 0);
  ASSERT_EQ(::symlink("a", (dir / "b").c_str()), 0);
  const std::string e = error_of([&] { check_output_path(dir / "a", "--trace"); });
  EXPECT_TRUE(mentions(e, "--trace '" + (dir / "a") + "'")) << e;
  EXPECT_TRUE(mentions(e, "symbolic links")) << e;
}

TEST(OutputFile, DevNullStaysACharacterDevice) {
  struct stat before {
  }, after{};
  ASSERT_EQ(::stat("/dev/null", &before), 0);
  ASSERT_TRUE(S_ISCHR(before.st_mode));
  EXPECT_EQ(check_output_path("/dev/null", "--json").kind, OutputPath::Kind::CharDevice);
  write_output_file("/dev/null", "{}\n", "--json");
  ASSERT_EQ(::stat("/dev/null", &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode));
  EXPECT_EQ(after.st_rdev, before.st_rdev);
  EXPECT_EQ(after.st_ino, before.st_ino);
}

TEST(OutputFile, AFullDeviceIsAnErrorNamingTheOption) {
  if (::access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  const std::string e = error_of([] { write_output_file("/dev/full", "x", "--json"); });
  EXPECT_TRUE(mentions(e, "--json '/dev/full'")) << e;
  EXPECT_TRUE(mentions(e, "No space left on device")) << e;
  struct stat st {};
  ASSERT_EQ(::stat("/dev/full", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(OutputFile, AFifoIsWrittenDirectlyToItsReader) {
  ScratchDir dir("output-file");
  const std::string fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read(fifo); });
  write_output_file(fifo, "through the pipe\n", "--json");
  reader.join();
  EXPECT_EQ(received, "through the pipe\n");
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"pipe"});
}

TEST(OutputFile, AnOpenDescriptorIsWrittenDirectly) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  EXPECT_EQ(check_output_path(path, "--json").kind, OutputPath::Kind::Descriptor);
  write_output_file(path, "abc", "--json");
  ::close(fds[1]);
  char buf[8] = {};
  EXPECT_EQ(::read(fds[0], buf, sizeof buf), 3);
  EXPECT_EQ(std::string(buf), "abc");
  ::close(fds[0]);
  const std::string e = error_of([&] { check_output_path(path, "--json"); });
  EXPECT_TRUE(mentions(e, "is not open")) << e;
}

TEST(OutputFile, FoldersSocketsAndPathsThroughFilesAreRefused) {
  ScratchDir dir("output-file");
  fs::create_directories(dir / "folder");
  std::string e = error_of([&] { check_output_path(dir / "folder", "--json"); });
  EXPECT_TRUE(mentions(e, "--json '" + (dir / "folder") + "': it is a folder")) << e;
  e = error_of([&] { check_output_path(dir / "folder/", "--json"); });
  EXPECT_TRUE(mentions(e, "ends in '/'")) << e;

  const std::string notes = dir.write("notes.txt", "mine");
  e = error_of([&] { check_output_path(notes + "/run.json", "--json"); });
  EXPECT_TRUE(mentions(e, "a folder on its path is a file")) << e;
  e = error_of([&] { write_output_file(notes + "/sub/run.json", "x", "--json"); });
  EXPECT_TRUE(mentions(e, "a folder on its path is a file")) << e;
  EXPECT_EQ(read(notes), "mine");

  const std::string sock = dir / "sock";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  e = error_of([&] { write_output_file(sock, "x", "--trace"); });
  EXPECT_TRUE(mentions(e, "--trace '" + sock + "': it is a socket")) << e;
  ::close(s);

  e = error_of([&] { check_output_folder(notes, "--out"); });
  EXPECT_TRUE(
      mentions(e, "--out '" + notes + "' as the output folder: it exists and is not a folder"))
      << e;
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"folder", "notes.txt", "sock"}));
}

TEST(OutputFile, TwoOptionsNamingOneFileAreRefused) {
  ScratchDir dir("output-file");
  std::vector<OutputPath> outs = {check_output_path(dir / "r.json", "--json"),
                                  check_output_path(dir.path() + "/./r.json", "--timeline")};
  std::string e = error_of([&] { check_distinct_outputs(outs); });
  EXPECT_TRUE(mentions(e, "--json '" + (dir / "r.json") + "' and --timeline")) << e;
  EXPECT_TRUE(mentions(e, "name the same file")) << e;
  outs = {check_output_path("-", "--json"), check_output_path("-", "--trace")};
  e = error_of([&] { check_distinct_outputs(outs); });
  EXPECT_TRUE(mentions(e, "both write to the standard output")) << e;
  outs = {check_output_path("/dev/null", "--json"), check_output_path("/dev/null", "--trace")};
  EXPECT_NO_THROW(check_distinct_outputs(outs));
}

}  // namespace
}  // namespace streamsim
