#pragma once
// Tensor files: the text format sources read (`kind: file`) and sinks compare against
// (`expect_file`). Specified in docs/tensor-format.md:
//   # shape: 4 8          optional header; the value count must equal the product
//   # any other comment   lines whose first non-blank character is '#' are ignored
//   1.5, 2 -3e-2          numbers separated by blanks and/or commas, any number per line
// Values are read in file order into one flat row-major array.
#include <cstddef>
#include <string>
#include <vector>

namespace streamsim::units {

struct Tensor {
  std::vector<std::size_t> shape;  // empty if the file has no shape header
  std::vector<double> values;      // flat, row-major
};

// Throws streamsim::Error naming the file, the line and column and the offending text.
Tensor read_tensor_file(const std::string& path);

// Writes `# shape: ...` (if shape is non-empty) and the values, `row` values per line, with
// enough digits to read back exactly. Throws Error if the file cannot be written.
void write_tensor_file(const std::string& path, const Tensor& tensor, std::size_t row = 8);

}  // namespace streamsim::units
