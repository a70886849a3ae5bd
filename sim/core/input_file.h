#pragma once
// The one way streamsim reads an input file (architecture and spatial YAML, cascades, studies,
// tensor files, sweep point records). It refuses what is not a regular file, by name (a
// directory, /dev/zero, a FIFO, a socket), instead of reading it without end or reporting it
// as "empty", and it caps the size so that a wrong path cannot exhaust memory
// (docs/limits.md, "Input file size").
#include <cstdint>
#include <string>

namespace streamsim {

// The default size cap: 64 MiB, far above any real architecture, cascade or study.
constexpr std::uint64_t kDefaultMaxInputBytes = 64ull << 20;
// The environment variable that overrides it (a byte count, e.g. 268435456).
constexpr const char* kMaxInputBytesEnv = "STREAMSIM_MAX_INPUT_BYTES";

// The cap in force: $STREAMSIM_MAX_INPUT_BYTES if set, else the default. Throws Error when the
// variable is set to something other than a positive integer.
std::uint64_t max_input_bytes();

// Reads the whole of `path`. `what` names the file's role in messages ("architecture file",
// "tensor file"). Throws Error naming the path and the real problem: missing, unreadable, a
// directory or another non-regular file, or larger than max_input_bytes().
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace streamsim
