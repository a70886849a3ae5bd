#pragma once
// The seeded Q, K, V tensors of the SDPA graphs. One generator is shared by the sources
// (sdpa_source) and by the double-precision reference (graphs/sdpa/reference.h), so the
// values a graph streams and the values the reference multiplies are bit-identical.
#include <cstdint>
#include <string>
#include <vector>

namespace streamsim::sdpa {

enum class Tensor { Q = 0, K = 1, V = 2 };
const char* tensor_name(Tensor t);
Tensor parse_tensor(const std::string& name);  // "q", "k", "v"

// Amplitude of the uniform values of a tensor: Q and K are uniform in [-a, a) with
// a = sqrt(score_scale) so that scores q.k/sqrt(D) grow linearly with score_scale; V is
// uniform in [-1, 1).
double tensor_amplitude(Tensor t, double score_scale);

// Fills `out` (resized to n*d, row-major) with head `head` of tensor t. Each element is a
// hash of (seed, tensor, head, index), so heads and tensors are independent streams.
void generate_tensor(Tensor t, int head, int n, int d, std::uint64_t seed, double score_scale,
                     std::vector<double>& out);
// The same values written to out[0 .. n*d) (for storage other than a std::vector).
void generate_tensor(Tensor t, int head, int n, int d, std::uint64_t seed, double score_scale,
                     double* out);

}  // namespace streamsim::sdpa
