#include "sim/core/input_file.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "sim/core/error.h"
#include "tests/support/scratch_dir.h"

namespace streamsim {
namespace {

using testing::ScratchDir;

std::string error_of(const std::string& path, const std::string& what = "architecture file") {
  try {
    read_input_file(path, what);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

class CapEnv {
 public:
  explicit CapEnv(std::optional<std::string> v) {
    if (v)
      ::setenv(kMaxInputBytesEnv, v->c_str(), 1);
    else
      ::unsetenv(kMaxInputBytesEnv);
  }
  ~CapEnv() { ::unsetenv(kMaxInputBytesEnv); }
};

TEST(InputFile, ReadsARegularFileWhole) {
  ScratchDir dir("input-file");
  std::string content(200000, 'x');
  content[12345] = '\0';  // binary-safe
  EXPECT_EQ(read_input_file(dir.write("a.yaml", content), "architecture file"), content);
}

TEST(InputFile, NamesWhatIsNotARegularFile) {
  ScratchDir dir("input-kinds");
  std::filesystem::create_directories(dir / "d");
  EXPECT_EQ(
      error_of(dir / "d"),
      dir / "d" + ": cannot read the architecture file: it is a directory, not a regular file");
  EXPECT_NE(error_of("/dev/zero", "tensor file")
                .find("/dev/zero: cannot read the tensor file: it is a character device"),
            std::string::npos);
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_NE(error_of(dir / "fifo").find("it is a FIFO (named pipe)"),
            std::string::npos);  // and returns at once
  EXPECT_NE(error_of(dir / "missing").find("no such file (check the path)"), std::string::npos);
}

TEST(InputFile, NamesASocket) {
  ScratchDir dir("input-socket");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = dir / "s";
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  path.copy(addr.sun_path, path.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string err = error_of(path);
  ::close(fd);
  // A socket cannot be opened (ENXIO); either way the message names the path.
  EXPECT_NE(err.find(path + ": cannot read the architecture file"), std::string::npos) << err;
}

TEST(InputFile, FollowsSymlinksToTheRealFile) {
  ScratchDir dir("input-symlink");
  const std::string target = dir.write("real.yaml", "units: []\n");
  std::filesystem::create_symlink(target, dir / "link.yaml");
  EXPECT_EQ(read_input_file(dir / "link.yaml", "architecture file"), "units: []\n");
  std::filesystem::create_symlink("/dev/zero", dir / "zero.yaml");
  EXPECT_NE(error_of(dir / "zero.yaml").find("a character device"), std::string::npos);
}

TEST(InputFile, SizeCapHasADefaultAndAnOverride) {
  ScratchDir dir("input-cap");
  const std::string path = dir.write("a.yaml", std::string(5000, 'x'));
  {
    CapEnv none(std::nullopt);
    EXPECT_EQ(max_input_bytes(), kDefaultMaxInputBytes);
    EXPECT_EQ(kDefaultMaxInputBytes, 64u << 20);
    EXPECT_EQ(read_input_file(path, "x").size(), 5000u);
  }
  {
    CapEnv cap("4999");
    std::string err = error_of(path);
    EXPECT_NE(err.find("it is 5000 bytes (0 MiB), over the input size limit of 4999 bytes"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("STREAMSIM_MAX_INPUT_BYTES=BYTES"), std::string::npos) << err;
  }
  {
    CapEnv cap("5000");
    EXPECT_EQ(read_input_file(path, "x").size(), 5000u);
  }
  for (const char* bad : {"0", "-1", "64MB", "1e9"}) {
    CapEnv cap(bad);
    EXPECT_THROW(max_input_bytes(), Error) << bad;
  }
}

}  // namespace
}  // namespace streamsim
