#pragma once
// Text -> Cascade syntax (names resolved, nothing checked across statements yet).
// Grammar: docs/einsum-language.md.
#include <cstdint>
#include <map>
#include <string>

#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

// `size_overrides` replaces declared rank sizes (`--set M=64`); naming a rank the file does
// not declare is an error. Throws streamsim::Error with file:line:column.
Cascade parse_cascade_syntax(const std::string& text, const std::string& file,
                             const std::map<std::string, std::int64_t>& size_overrides = {});

}  // namespace einsum
}  // namespace streamsim
