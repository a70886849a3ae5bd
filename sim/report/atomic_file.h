#pragma once
// Writes a file so that readers see either the old content or the whole new content, never a
// half-written file (a killed run, a full disk, a sweep's concurrent readers): write to a
// temporary file in the same directory, fsync it, rename it over the target, fsync the directory.
#include <string>

namespace streamsim {

// Throws streamsim::Error naming the path and the system error; leaves no temporary behind.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace streamsim
