#include "sim/report/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "sim/core/error.h"

namespace streamsim {

namespace {

namespace fs = std::filesystem;

// The kernel gives up on a path after 40 links (ELOOP); so do we when following them by hand.
constexpr int kMaxLinkHops = 40;

std::string named(const std::string& option, const std::string& path) {
  return option.empty() ? "'" + path + "'" : option + " '" + path + "'";
}

[[noreturn]] void fail(const std::string& option, const std::string& path, const std::string& why) {
  throw Error("cannot write " + named(option, path) + ": " + why);
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool all_digits(const std::string& s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The names of this process's open descriptors: writing through them re-opens the file or
// pipe behind the descriptor, which is not what the user asked for; the descriptor is.
int descriptor_of(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  const std::string own = "/proc/" + std::to_string(::getpid()) + "/fd/";
  for (const std::string& prefix : {std::string("/dev/fd/"), std::string("/proc/self/fd/"),
                                    std::string("/proc/thread-self/fd/"), own}) {
    if (path.compare(0, prefix.size(), prefix) == 0 && all_digits(path.substr(prefix.size())))
      return std::stoi(path.substr(prefix.size()));
  }
  return -1;
}

const char* const kKindsWritten =
    "streamsim writes regular files, character devices (such as /dev/null) and FIFOs only";

// What `path` is, following symbolic links by hand so that the final target is known.
OutputPath classify(const std::string& path, const std::string& option) {
  OutputPath out;
  out.given = path;
  out.option = option;
  if (path.empty()) fail(option, path, "the file name is empty");
  if (path == "-") {
    out.kind = OutputPath::Kind::Stdout;
    out.target = "-";
    return out;
  }
  if (path.back() == '/')
    fail(option, path,
         "it names a folder (it ends in '/'); add a file name, e.g. '" + path + "result.json'");
  std::string current = path;
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    const std::string via = current == path ? "" : " (its link leads to '" + current + "')";
    const int fd = descriptor_of(current);
    if (fd >= 0) {
      const int flags = ::fcntl(fd, F_GETFL);
      if (flags < 0) fail(option, path, "descriptor " + std::to_string(fd) + " is not open");
      if ((flags & O_ACCMODE) == O_RDONLY)
        fail(option, path, "descriptor " + std::to_string(fd) + " is open for reading only");
      out.kind = OutputPath::Kind::Descriptor;
      out.fd = fd;
      out.target = current;
      return out;
    }
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0) {
      const int err = errno;
      if (err == ENOENT) {
        out.kind = OutputPath::Kind::NewFile;
        out.target = current;
        return out;
      }
      if (err == ENOTDIR) fail(option, path, "a folder on its path is a file, not a folder" + via);
      fail(option, path, std::strerror(err) + via);
    }
    if (S_ISLNK(st.st_mode)) {
      std::vector<char> buf(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1);
      const ssize_t n = ::readlink(current.c_str(), buf.data(), buf.size());
      if (n < 0 || static_cast<std::size_t>(n) >= buf.size())
        fail(option, path, "cannot read the symbolic link '" + current + "'");
      const std::string link(buf.data(), static_cast<std::size_t>(n));
      current = link[0] == '/' ? link : folder_of(current) + "/" + link;
      continue;
    }
    out.target = current;
    if (S_ISREG(st.st_mode))
      out.kind = OutputPath::Kind::RegularFile;
    else if (S_ISCHR(st.st_mode))
      out.kind = OutputPath::Kind::CharDevice;
    else if (S_ISFIFO(st.st_mode))
      out.kind = OutputPath::Kind::Fifo;
    else if (S_ISDIR(st.st_mode))
      fail(option, path,
           "it is a folder" + via + "; name a file in it, e.g. '" + path + "/result.json'");
    else if (S_ISSOCK(st.st_mode))
      fail(option, path, "it is a socket" + via + "; " + kKindsWritten);
    else if (S_ISBLK(st.st_mode))
      fail(option, path, "it is a block device" + via + "; " + kKindsWritten);
    else
      fail(option, path, "it is neither a file nor a device" + via + "; " + kKindsWritten);
    return out;
  }
  fail(option, path, "more than " + std::to_string(kMaxLinkHops) + " symbolic links to follow");
}

void make_folder(const OutputPath& out) {
  const std::string folder = folder_of(out.target);
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return;
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    fail(out.option, out.given,
         "cannot create its folder '" + folder +
             "': " + (ec ? ec.message() : std::string("something else is in the way")));
}

// Creating (and removing) a file is the only reliable test that a folder takes new files:
// permission bits do not bind root, while a read-only mount binds everyone. The name is one
// sweep_files' remove_temp_files would clean up if the process died in between.
void probe_folder(const std::string& folder, const std::string& option, const std::string& path) {
  std::string name = folder + "/.streamsim-probe.tmp.XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    fail(option, path,
         "cannot create files in the folder '" + folder + "': " + std::strerror(errno));
  ::close(fd);
  ::unlink(name.c_str());
}

void check_writable(const OutputPath& out) {
  if (::access(out.target.c_str(), W_OK) != 0)
    fail(out.option, out.given, std::string("it is not writable: ") + std::strerror(errno));
}

// SIGPIPE would kill the process silently when a FIFO's or pipe's reader goes away; while
// writing one, EPIPE is reported instead.
class SigpipeIgnored {
 public:
  SigpipeIgnored() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, &old_);
  }
  ~SigpipeIgnored() { ::sigaction(SIGPIPE, &old_, nullptr); }
  SigpipeIgnored(const SigpipeIgnored&) = delete;
  SigpipeIgnored& operator=(const SigpipeIgnored&) = delete;

 private:
  struct sigaction old_ {};
};

// Returns 0 or the errno of the failed write.
int write_all(int fd, const std::string& content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return 0;
}

std::string write_failure(int err) {
  if (err == EPIPE) return "its reader closed it before everything was written";
  return std::string("writing: ") + std::strerror(err);
}

void write_to_descriptor(const OutputPath& out, const std::string& content) {
  std::cout.flush();
  std::cerr.flush();
  SigpipeIgnored guard;
  if (const int err = write_all(out.fd, content)) fail(out.option, out.given, write_failure(err));
}

// Character devices and FIFOs: opened as they are, never created, truncated or replaced.
void write_directly(const OutputPath& out, const std::string& content) {
  SigpipeIgnored guard;
  const bool fifo = out.kind == OutputPath::Kind::Fifo;
  int fd = ::open(out.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0 && errno == ENXIO && fifo) {
    // Opening a FIFO for writing waits for a reader; say so rather than seem to hang.
    std::cerr << "streamsim: waiting for a reader of the FIFO '" << out.target << "'"
              << (out.option.empty() ? "" : " (" + out.option + ")") << "\n";
    fd = ::open(out.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  }
  if (fd < 0) {
    const int err = errno;
    fail(out.option, out.given,
         err == EINTR ? "interrupted while waiting for a reader of the FIFO"
                      : std::string("opening: ") + std::strerror(err));
  }
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  const int err = write_all(fd, content);
  if (::close(fd) != 0 && err == 0)
    fail(out.option, out.given, "closing: " + std::string(std::strerror(errno)));
  if (err) fail(out.option, out.given, write_failure(err));
}

// New files and regular files: readers see the old content or the whole new one, never a
// part (a killed run, a full disk, a sweep's concurrent readers).
void write_atomically(const OutputPath& out, const std::string& content) {
  const std::string folder = folder_of(out.target);
  // Hidden, in the same folder (rename is atomic only within one file system).
  std::string name = folder + "/." + base_of(out.target) + ".tmp.XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    fail(out.option, out.given,
         "creating a temporary file in '" + folder + "': " + std::strerror(errno));
  const std::string tmp = name;
  auto abandon = [&](const std::string& step, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(out.option, out.given, step + ": " + std::strerror(err));
  };
  // mkstemp creates 0600: a replaced file keeps its permissions, a new one gets what any
  // file the user creates gets.
  mode_t mode = 0;
  struct stat old {};
  if (out.kind == OutputPath::Kind::RegularFile && ::stat(out.target.c_str(), &old) == 0) {
    mode = old.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  if (::fchmod(fd, mode) != 0) abandon("setting permissions", errno);
  if (const int err = write_all(fd, content)) abandon("writing", err);
  if (::fsync(fd) != 0) abandon("fsync", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(out.option, out.given, std::string("closing: ") + std::strerror(err));
  }
  if (::rename(tmp.c_str(), out.target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(out.option, out.given,
         std::string("renaming the temporary file into place: ") + std::strerror(err));
  }
  // Make the rename itself durable; failing here loses no content, so it is not an error.
  const int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

bool writes_to_stdout(const OutputPath& o) {
  return o.kind == OutputPath::Kind::Stdout ||
         (o.kind == OutputPath::Kind::Descriptor && o.fd == STDOUT_FILENO);
}

}  // namespace

OutputPath check_output_path(const std::string& path, const std::string& option) {
  OutputPath out = classify(path, option);
  switch (out.kind) {
    case OutputPath::Kind::NewFile:
      make_folder(out);
      probe_folder(folder_of(out.target), option, path);
      break;
    case OutputPath::Kind::RegularFile:
      check_writable(out);
      probe_folder(folder_of(out.target), option, path);
      break;
    case OutputPath::Kind::CharDevice:
    case OutputPath::Kind::Fifo:
      check_writable(out);
      break;
    case OutputPath::Kind::Stdout:
    case OutputPath::Kind::Descriptor:
      break;
  }
  return out;
}

void check_distinct_outputs(const std::vector<OutputPath>& outputs) {
  auto same_file = [](const OutputPath& a, const OutputPath& b) {
    if (writes_to_stdout(a) && writes_to_stdout(b)) return true;
    if (a.kind == OutputPath::Kind::Stdout || b.kind == OutputPath::Kind::Stdout) return false;
    if (a.kind == OutputPath::Kind::CharDevice || a.kind == OutputPath::Kind::Descriptor ||
        b.kind == OutputPath::Kind::Descriptor)
      return false;
    return fs::absolute(a.target).lexically_normal() == fs::absolute(b.target).lexically_normal();
  };
  for (std::size_t i = 0; i < outputs.size(); ++i)
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (same_file(outputs[i], outputs[j]))
        throw Error(named(outputs[i].option, outputs[i].given) + " and " +
                    named(outputs[j].option, outputs[j].given) +
                    (writes_to_stdout(outputs[i]) ? " both write to the standard output"
                                                  : " name the same file") +
                    "; give each its own");
}

void write_output_file(const std::string& path, const std::string& content,
                       const std::string& option) {
  OutputPath out = classify(path, option);
  switch (out.kind) {
    case OutputPath::Kind::Stdout:
      std::cout << content << std::flush;
      if (!std::cout) fail(option, path, "the standard output is closed or failed");
      break;
    case OutputPath::Kind::Descriptor:
      write_to_descriptor(out, content);
      break;
    case OutputPath::Kind::NewFile:
      make_folder(out);
      write_atomically(out, content);
      break;
    case OutputPath::Kind::RegularFile:
      check_writable(out);
      write_atomically(out, content);
      break;
    case OutputPath::Kind::CharDevice:
    case OutputPath::Kind::Fifo:
      write_directly(out, content);
      break;
  }
}

void check_output_folder(const std::string& path, const std::string& option) {
  auto refuse = [&](const std::string& why) {
    throw Error("cannot use " + named(option, path) + " as the output folder: " + why);
  };
  if (path.empty()) refuse("the name is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {  // follows symbolic links: a link to a folder is fine
    if (!S_ISDIR(st.st_mode)) refuse("it exists and is not a folder");
  } else if (errno == ENOTDIR) {
    refuse("a folder on its path is a file, not a folder");
  } else if (errno != ENOENT) {
    refuse(std::strerror(errno));
  } else {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec || !fs::is_directory(path))
      refuse("cannot create it: " +
             (ec ? ec.message() : std::string("something else is in the way")));
  }
  std::string name = path + "/.streamsim-probe.tmp.XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) refuse(std::string("cannot create files in it: ") + std::strerror(errno));
  ::close(fd);
  ::unlink(name.c_str());
}

}  // namespace streamsim
