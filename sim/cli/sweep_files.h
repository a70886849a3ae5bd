#pragma once
// File operations a sweep needs to survive being killed at any instant: a write is either
// absent or complete (temporary file, fsync, rename, fsync of the directory), and one sweep
// at a time owns an output directory (a lock the kernel drops when the process dies).
#include <string>
#include <vector>

namespace streamsim::sweep {

// Writes `content` to `path` atomically: readers see the old file or the new one, never a
// part. The temporary file is `<dir>/.tmp-<name>-<pid>`; leftovers of a killed writer are
// removed by remove_temp_files. Throws Error on failure.
void write_file_atomic(const std::string& path, const std::string& content);
// Removes `.tmp-*` files in `dir` (left by a writer killed between write and rename).
void remove_temp_files(const std::string& dir);

// Whole file as bytes; throws Error naming the path if it cannot be read.
std::string read_file(const std::string& path);
bool file_exists(const std::string& path);
// Creates `dir` and its parents; throws Error if impossible.
void make_dirs(const std::string& dir);
// Names (not paths) of the regular files in `dir` ending in `suffix`, sorted.
std::vector<std::string> list_files(const std::string& dir, const std::string& suffix);
std::string absolute_path(const std::string& path);

// Exclusive lock on `<dir>/.lock` for the lifetime of the object; throws Error if another
// live process holds it ("another sweep is writing to DIR").
class DirLock {
 public:
  explicit DirLock(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace streamsim::sweep
