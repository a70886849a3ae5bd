#pragma once
// File operations a sweep needs to survive being killed at any instant. Writes go through
// write_output_file (sim/report/output_file.h): a file is either absent or complete. One sweep
// at a time owns an output directory (a lock the kernel drops when the process dies).
#include <string>
#include <vector>

namespace streamsim::sweep {

// Removes the temporaries of write_output_file (sim/report/output_file.h) left in `dir`
// by a writer killed between write and rename.
void remove_temp_files(const std::string& dir);

// Whole file as bytes, through read_input_file (sim/core/input_file.h: regular files only, size
// cap); throws Error naming the path and `what` if it cannot be read.
std::string read_file(const std::string& path, const std::string& what = "file");
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
