#include "sim/cli/sweep_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sim/core/error.h"
#include "sim/core/input_file.h"

namespace fs = std::filesystem;

namespace streamsim::sweep {
namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

void remove_temp_files(const std::string& dir) {
  // write_output_file's temporaries are hidden files named ".<target>.tmp.XXXXXX".
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name[0] == '.' && name.find(".tmp.") != std::string::npos) fs::remove(e.path(), ec);
  }
}

std::string read_file(const std::string& path, const std::string& what) {
  return read_input_file(path, what);
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

void make_dirs(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw Error("cannot create directory '" + dir + "': " + ec.message());
}

std::vector<std::string> list_files(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.size() >= suffix.size() && name[0] != '.' &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).string() : p.string();
}

DirLock::DirLock(const std::string& dir) {
  std::string path = dir + "/.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error("cannot open lock file '" + path + "': " + errno_text());
  // A POSIX record lock, not flock: it belongs to this process only, so forked workers do not
  // inherit it and keep it held after the sweep itself was killed.
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (::fcntl(fd_, F_SETLK, &fl) != 0) {
    ::close(fd_);
    throw Error("another sweep is writing to '" + dir +
                "' (its lock is held); wait for it to finish or use another --out directory");
  }
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace streamsim::sweep
