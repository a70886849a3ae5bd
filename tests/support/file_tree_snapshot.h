#pragma once
// What a folder holds (every entry's kind, and a regular file's bytes or a link's target), to
// check that a command changed nothing but its output paths; and the kind of a device node.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace streamsim::testing {

class FileTreeSnapshot {
 public:
  explicit FileTreeSnapshot(const std::string& root) : root_(root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      const std::string path = it->path().string();
      entries_[path.substr(root.size())] = describe(path);
    }
  }

  // The entries that differ from `before` (added, removed or changed), minus `allowed`
  // (paths relative to the root, e.g. "/out.json"; a folder allows everything under it).
  std::set<std::string> changes_since(const FileTreeSnapshot& before,
                                      const std::set<std::string>& allowed = {}) const {
    std::set<std::string> changed;
    for (const auto& [path, what] : entries_) {
      auto it = before.entries_.find(path);
      if (it == before.entries_.end() || it->second != what) changed.insert(path);
    }
    for (const auto& [path, what] : before.entries_)
      if (!entries_.count(path)) changed.insert(path);
    for (auto it = changed.begin(); it != changed.end();) {
      bool ok = false;
      for (const auto& a : allowed)
        ok = ok || *it == a || it->compare(0, a.size() + 1, a + "/") == 0;
      it = ok ? changed.erase(it) : std::next(it);
    }
    return changed;
  }

 private:
  static std::string describe(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return "gone";
    if (S_ISLNK(st.st_mode)) {
      char buf[4096];
      const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
      return "link " + std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    if (S_ISDIR(st.st_mode)) return "folder";
    if (S_ISFIFO(st.st_mode)) return "fifo";
    if (S_ISSOCK(st.st_mode)) return "socket";
    if (S_ISCHR(st.st_mode)) return "char " + std::to_string(st.st_rdev);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return "file " + std::to_string(st.st_mode & 07777) + " " + s.str();
  }

  std::string root_;
  std::map<std::string, std::string> entries_;
};

// "char <rdev>" for a character device, else what it became (e.g. "file"): /dev/null must
// stay the device it is after any command.
inline std::string node_kind(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return "missing";
  if (S_ISCHR(st.st_mode)) return "char " + std::to_string(st.st_rdev);
  if (S_ISREG(st.st_mode)) return "file";
  return "other";
}

}  // namespace streamsim::testing
