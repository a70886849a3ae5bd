#include "sim/core/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "sim/core/error.h"

namespace streamsim {
namespace {

// Closes the descriptor on every path out of read_input_file.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string mib(std::uint64_t bytes) {
  return std::to_string(bytes) + " bytes (" + std::to_string(bytes >> 20) + " MiB)";
}

[[noreturn]] void fail(const std::string& path, const std::string& what, const std::string& why) {
  throw Error(path + ": cannot read the " + what + ": " + why);
}

}  // namespace

std::uint64_t max_input_bytes() {
  const char* env = std::getenv(kMaxInputBytesEnv);
  if (!env || !*env) return kDefaultMaxInputBytes;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(env, &end, 10);
  if (*end != '\0' || errno != 0 || v == 0 || env[0] == '-')
    throw Error(std::string(kMaxInputBytesEnv) + "='" + env +
                "': expected a positive number of bytes, e.g. " + kMaxInputBytesEnv +
                "=268435456 for 256 MiB");
  return v;
}

std::string read_input_file(const std::string& path, const std::string& what) {
  const std::uint64_t cap = max_input_bytes();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked before any read.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) fail(path, what, "no such file (check the path)");
    fail(path, what, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail(path, what, std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    fail(path, what, std::string("it is ") + kind_of(st.st_mode) + ", not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > cap)
    fail(path, what,
         "it is " + mib(static_cast<std::uint64_t>(st.st_size)) +
             ", over the input size limit of " + mib(cap) + "; raise the limit with " +
             kMaxInputBytesEnv + "=BYTES if the file really is that large (docs/limits.md)");
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, what, std::strerror(errno));
    }
    if (n == 0) break;
    // The file may grow while it is read: the cap holds for what is read, not only for stat.
    if (text.size() + static_cast<std::size_t>(n) > cap)
      fail(path, what,
           "it grew past the input size limit of " + mib(cap) +
               " while being read; raise the limit with " + kMaxInputBytesEnv +
               "=BYTES if the file really is that large (docs/limits.md)");
    text.append(buf, static_cast<std::size_t>(n));
  }
  return text;
}

}  // namespace streamsim
