#pragma once
// A plain aligned text table: first column left-aligned, the others right-aligned (numbers).
#include <string>
#include <vector>

namespace streamsim {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // `left_columns` leading columns are left-aligned (names), the rest right-aligned.
  std::string render(std::size_t left_columns = 1, const std::string& indent = "  ") const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Fixed-point text with `decimals` digits ("0.99", "100.0%").
std::string fixed(double value, int decimals);
std::string percent(double fraction);  // "87.5%"
// Short human rate: "12.3 M/s", "950 k/s".
std::string si_rate(double per_second);

}  // namespace streamsim
