#include "sim/report/atomic_file.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "sim/core/error.h"

namespace streamsim {
namespace {

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/streamsim_atomic_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const auto& f : files()) ::unlink((dir_ + "/" + f).c_str());
    ::rmdir(dir_.c_str());
  }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir_.c_str());
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(d);
    return out;
  }
  std::string read(const std::string& path) const {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string dir_;
};

TEST_F(AtomicFile, WritesAndReplacesLeavingNoTemporary) {
  const std::string path = dir_ + "/report.json";
  write_file_atomically(path, "first\n");
  EXPECT_EQ(read(path), "first\n");
  write_file_atomically(path, std::string(100000, 'x'));
  EXPECT_EQ(read(path), std::string(100000, 'x'));
  EXPECT_EQ(files(), std::vector<std::string>{"report.json"});
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);  // not mkstemp's 0600
}

TEST_F(AtomicFile, FailureNamesThePathAndLeavesNothing) {
  try {
    write_file_atomically(dir_ + "/missing/report.json", "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write '" + dir_ + "/missing/report.json'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos);
  }
  // Renaming over a directory fails after the temporary was written: it must be removed.
  ASSERT_EQ(::mkdir((dir_ + "/taken").c_str(), 0755), 0);
  EXPECT_THROW(write_file_atomically(dir_ + "/taken", "x"), Error);
  EXPECT_EQ(files(), std::vector<std::string>{"taken"});
  ::rmdir((dir_ + "/taken").c_str());
}

}  // namespace
}  // namespace streamsim
