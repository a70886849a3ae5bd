#include "graphs/einsum/cascade.h"

#include "graphs/einsum/parser.h"
#include "graphs/einsum/semantics.h"
#include "sim/config/yaml_node.h"
#include "sim/core/error.h"
#include "sim/core/input_file.h"

namespace streamsim {
namespace einsum {

Cascade parse_cascade(const std::string& text, const std::string& file,
                      const SizeOverrides& sizes) {
  expect_utf8(text, file);  // names and Einsum text reach JSON reports, which must be UTF-8
  Cascade c = parse_cascade_syntax(text, file, sizes);
  // An empty file (or one of comments and declarations only) would pass every check and
  // compile to nothing: it is certainly not what the user meant to give.
  if (c.einsums.empty())
    throw Error(SourceLoc{file, 1, 1},
                "the cascade defines no Einsum" +
                    std::string(c.ranks.empty() && c.inputs.empty() ? " (the file is empty)" : "") +
                    "; a cascade declares its ranks and inputs and defines at least one Einsum, "
                    "e.g. `Z[m] = A[m] * B[m]` (docs/einsum-language.md)");
  check_cascade(c);
  return c;
}

Cascade parse_cascade_file(const std::string& path, const SizeOverrides& sizes) {
  return parse_cascade(read_input_file(path, "cascade file"), path, sizes);
}

SizeOverrides parse_size_overrides(const std::vector<std::string>& sets) {
  SizeOverrides sizes;
  for (const auto& s : sets) {
    auto eq = s.find('=');
    std::size_t used = 0;
    long long value = 0;
    bool ok = eq != std::string::npos && eq > 0;
    if (ok) {
      try {
        value = std::stoll(s.substr(eq + 1), &used);
      } catch (const std::exception&) {
        ok = false;
      }
      ok = ok && used == s.size() - eq - 1 && value > 0;
    }
    if (!ok)
      throw Error("--set '" + s +
                  "': expected RANK=SIZE with a positive integer size, e.g. --set M=64");
    sizes[s.substr(0, eq)] = static_cast<std::int64_t>(value);
  }
  return sizes;
}

}  // namespace einsum
}  // namespace streamsim
