#include "sim/report/text_table.h"

#include <algorithm>
#include <cstdio>

namespace streamsim {

std::string TextTable::render(std::size_t left_columns, const std::string& indent) const {
  std::vector<std::size_t> width;
  for (const auto& row : rows_)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows_) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - row[i].size(), ' ');
      if (i) line += "  ";
      line += i < left_columns ? row[i] + pad : pad + row[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string percent(double fraction) { return fixed(100.0 * fraction, 1) + "%"; }

std::string si_rate(double per_second) {
  const char* suffix[] = {"", " k", " M", " G"};
  int i = 0;
  while (per_second >= 1000.0 && i < 3) {
    per_second /= 1000.0;
    ++i;
  }
  return fixed(per_second, per_second < 10 ? 2 : 1) + suffix[i] + "/s";
}

}  // namespace streamsim
