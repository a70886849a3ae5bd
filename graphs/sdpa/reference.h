#pragma once
// Double-precision reference for the SDPA graphs: softmax(Q K^T / sqrt(D)) V per head, from
// the very tensors the graphs' sources stream (same generator, sim/units/sdpa_tensors.h).
#include <cstdint>
#include <vector>

namespace streamsim::sdpa {

struct ReferenceResult {
  std::vector<double> out;  // heads x N x D, row-major: head h, query row i, column f
  double max_score = 0;     // largest scaled score q.k/sqrt(D) over all heads
  double min_score = 0;
  // Largest row range max_j s_ij - min_j s_ij: exp of a range beyond ~709.78 cannot be held
  // by a double, which is when max subtraction stops being optional.
  double max_row_range = 0;
};

// Stable (row-max subtracted) softmax computed row by row in O(N + N*D) memory.
ReferenceResult reference_sdpa(int n, int d, int heads, std::uint64_t seed, double score_scale);

// Largest absolute difference between `got` and `want`; infinity if sizes differ, and NaN
// entries count as infinitely wrong.
double max_abs_error(const std::vector<double>& got, const std::vector<double>& want);

}  // namespace streamsim::sdpa
