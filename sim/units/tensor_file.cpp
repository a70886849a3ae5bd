#include "sim/units/tensor_file.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/core/error.h"
#include "sim/core/input_file.h"
#include "sim/core/types.h"

namespace streamsim::units {

namespace {

bool is_separator(char c) {
  return c == ' ' || c == '\t' || c == ',' || c == '\r';
}

SourceLoc at(const std::string& path, int line, std::size_t col) {
  return SourceLoc{path, line, static_cast<int>(col) + 1};
}

// Parses "# shape: 4 8" (after the '#'); returns false if this comment is not a shape header.
bool parse_shape(const std::string& comment, const std::string& path, int line_no,
                 std::vector<std::size_t>& shape) {
  std::istringstream in(comment);
  std::string key;
  in >> key;
  if (key != "shape:") return false;
  std::string dim;
  while (in >> dim) {
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(dim.c_str(), &end, 10);
    if (*end != '\0' || errno != 0 || v < 0)
      throw Error(at(path, line_no, 0),
                  "tensor file: shape dimension '" + dim +
                      "' is not a non-negative integer (write e.g. '# shape: 4 8')");
    shape.push_back(static_cast<std::size_t>(v));
  }
  if (shape.empty())
    throw Error(at(path, line_no, 0),
                "tensor file: '# shape:' lists no dimensions (write e.g. '# shape: 4 8')");
  return true;
}

}  // namespace

Tensor read_tensor_file(const std::string& path) {
  std::istringstream in(read_input_file(path, "tensor file (docs/tensor-format.md)"));
  Tensor t;
  bool have_shape = false;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '#') {
      std::vector<std::size_t> shape;
      if (parse_shape(line.substr(i + 1), path, line_no, shape)) {
        if (have_shape || !t.values.empty())
          throw Error(at(path, line_no, i),
                      "tensor file: the '# shape:' header must come once, before the first number");
        t.shape = shape;
        have_shape = true;
      }
      continue;
    }
    while (i < line.size()) {
      if (is_separator(line[i])) {
        ++i;
        continue;
      }
      std::size_t start = i;
      while (i < line.size() && !is_separator(line[i])) ++i;
      std::string word = line.substr(start, i - start);
      char* end = nullptr;
      errno = 0;
      double v = std::strtod(word.c_str(), &end);
      if (end == word.c_str() || *end != '\0' || errno == ERANGE)
        throw Error(at(path, line_no, start), "tensor file: '" + word + "' is not a number");
      t.values.push_back(v);
    }
  }
  if (have_shape) {
    std::size_t product = 1;
    bool overflow = false;  // a wrapped product could equal the count and pass the check
    for (std::size_t d : t.shape)
      overflow = overflow || __builtin_mul_overflow(product, d, &product);
    if (overflow || product != t.values.size())
      throw Error(SourceLoc{path, 1, 1},
                  "tensor file: the shape header promises " +
                      (overflow ? std::string("more than 2^64") : std::to_string(product)) +
                      " values but the file holds " + std::to_string(t.values.size()));
  }
  return t;
}

void write_tensor_file(const std::string& path, const Tensor& tensor, std::size_t row) {
  std::ofstream out(path);
  if (!out) throw Error("cannot write tensor file '" + path + "'");
  if (!tensor.shape.empty()) {
    out << "# shape:";
    for (std::size_t d : tensor.shape) out << ' ' << d;
    out << '\n';
  }
  out.precision(17);
  if (row == 0) row = 1;
  for (std::size_t i = 0; i < tensor.values.size(); ++i)
    out << tensor.values[i] << ((i + 1) % row == 0 || i + 1 == tensor.values.size() ? '\n' : ' ');
  if (!out) throw Error("error while writing tensor file '" + path + "'");
}

}  // namespace streamsim::units
