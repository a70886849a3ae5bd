#pragma once
// Basic vocabulary shared by every layer.
#include <cstdint>
#include <string>

namespace streamsim {

// Simulated time, in clock cycles. Signed so that "minus infinity" and differences are easy.
using Cycle = std::int64_t;

// Where something was written in a user's input (YAML file, cascade file). line/column are
// 1-based; 0 means unknown (e.g. a graph built in C++).
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const {
    if (file.empty() && line == 0) return "<built-in>";
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

}  // namespace streamsim
