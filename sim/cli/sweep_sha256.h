#pragma once
// SHA-256 of a byte string, as 64 lowercase hex digits. Sweep records carry the hash of the
// exact config they ran (so a result can be traced to its input, and `sha256sum` agrees) and a
// checksum of their own content (so a torn or edited point file is detected on restart).
#include <string>

namespace streamsim::sweep {

std::string sha256_hex(const std::string& bytes);

}  // namespace streamsim::sweep
