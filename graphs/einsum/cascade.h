#pragma once
// Entry points: parse and check a cascade of extended Einsums from text or a file.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

using SizeOverrides = std::map<std::string, std::int64_t>;

// Parses and checks; throws streamsim::Error naming file:line:column.
Cascade parse_cascade(const std::string& text, const std::string& file = "<string>",
                      const SizeOverrides& sizes = {});
Cascade parse_cascade_file(const std::string& path, const SizeOverrides& sizes = {});

// "M=64" strings (the CLI's --set) to overrides; throws naming a malformed entry.
SizeOverrides parse_size_overrides(const std::vector<std::string>& sets);

}  // namespace einsum
}  // namespace streamsim
