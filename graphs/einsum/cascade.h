#pragma once
// Entry points: parse and check a cascade of extended Einsums from text or a file.
#include <cstdint>
#include <map>
#include <string>

#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

using SizeOverrides = std::map<std::string, std::int64_t>;

// Parses and checks; throws streamsim::Error naming file:line:column.
Cascade parse_cascade(const std::string& text, const std::string& file = "<string>",
                      const SizeOverrides& sizes = {});
Cascade parse_cascade_file(const std::string& path, const SizeOverrides& sizes = {});

}  // namespace einsum
}  // namespace streamsim
