#include "sim/report/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "sim/core/error.h"

namespace streamsim {

namespace {

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

[[noreturn]] void fail(const std::string& path, const std::string& step, int err) {
  throw Error("cannot write '" + path + "': " + step + ": " + std::strerror(err));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  if (path.empty() || path.back() == '/') throw Error("cannot write '" + path + "': not a file name");
  const std::string dir = directory_of(path);
  // Hidden, in the same directory (rename is atomic only within one file system).
  std::string tmpl = dir + "/." + base_of(path) + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, "creating a temporary file in '" + dir + "'", errno);
  const std::string tmp(name.data());
  auto abandon = [&](const std::string& step) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(path, step, err);
  };
  // mkstemp creates 0600; a report should be as readable as any file the user creates.
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) abandon("setting permissions");
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("writing");
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) abandon("fsync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail(path, "closing", err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail(path, "renaming the temporary file into place", err);
  }
  // Make the rename itself durable; failure here does not lose the content, so it is ignored.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace streamsim
