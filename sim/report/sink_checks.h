#pragma once
// The outcome of every sink that was given expected values (`expect` / `expect_file`): a run
// that finishes with wrong values must not look like a success.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/run_result.h"

namespace streamsim {

struct SinkCheck {
  std::string unit;
  std::uint64_t expected = 0;    // expected values
  std::uint64_t received = 0;    // values received
  std::uint64_t mismatches = 0;  // wrong + extra + missing values
  double max_abs_error = 0;
  std::int64_t first_mismatch = -1;  // index in the flat value stream, -1 if none
  bool passed() const { return mismatches == 0; }
};

std::vector<SinkCheck> sink_checks(const RunResult& result);

}  // namespace streamsim
