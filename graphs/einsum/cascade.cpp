#include "graphs/einsum/cascade.h"

#include <fstream>
#include <sstream>

#include "graphs/einsum/parser.h"
#include "graphs/einsum/semantics.h"
#include "sim/core/error.h"

namespace streamsim {
namespace einsum {

Cascade parse_cascade(const std::string& text, const std::string& file, const SizeOverrides& sizes) {
  Cascade c = parse_cascade_syntax(text, file, sizes);
  check_cascade(c);
  return c;
}

Cascade parse_cascade_file(const std::string& path, const SizeOverrides& sizes) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open cascade file '" + path + "' (check the path)");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_cascade(text.str(), path, sizes);
}

}  // namespace einsum
}  // namespace streamsim
