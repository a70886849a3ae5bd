#pragma once
// Every file streamsim writes goes through here, so that writing a result never destroys what
// is not a result (docs/limits.md, "Output files"):
// - "-" is the standard output; /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N are
//   that open descriptor (e.g. bash's `--json >(jq .)`), written directly;
// - a new path or a regular file is replaced atomically: a temporary in the same folder,
//   fsync, rename over the target, so a reader sees the old file or the whole new one;
// - a symbolic link is followed to its final target, which is written by these rules (the
//   link stays a link and now points at the new content);
// - a character device (/dev/null) or a FIFO is opened and written directly: no temporary, no
//   rename, so the device stays a device and the FIFO's reader gets the content;
// - anything else (a directory, a socket, a block device) is refused.
// Missing folders on the path are created (like `mkdir -p`) when the path is checked.
#include <string>
#include <vector>

namespace streamsim {

struct OutputPath {
  enum class Kind { Stdout, Descriptor, NewFile, RegularFile, CharDevice, Fifo };
  std::string given;   // as written on the command line
  std::string option;  // the option naming it ("--json"), for messages; may be empty
  std::string target;  // what is written: the path with symbolic links resolved
  Kind kind = Kind::NewFile;
  int fd = -1;  // Kind::Descriptor: the descriptor
};

// Classifies `path` (named by `option`), creates its missing folders and checks that it can
// be written (a temporary file is created and removed in the folder of a file to replace).
// Call it before the work that produces the content, so a bad path fails at once. Throws
// streamsim::Error naming the option, the path and the reason.
OutputPath check_output_path(const std::string& path, const std::string& option);

// Throws when two of `outputs` would write the same file (or both standard output), naming
// both options. Character devices may be shared (/dev/null twice is fine).
void check_distinct_outputs(const std::vector<OutputPath>& outputs);

// Writes `content` to `path` by the rules above (classifying it again: the path may have
// changed since it was checked). Throws streamsim::Error naming the option and the path; an
// atomic write leaves no temporary behind.
void write_output_file(const std::string& path, const std::string& content,
                       const std::string& option = "");

// A folder that receives many files (a sweep's --out): created if missing (symbolic links
// followed), refused if it is something else than a folder, checked for writing.
void check_output_folder(const std::string& path, const std::string& option);

}  // namespace streamsim
