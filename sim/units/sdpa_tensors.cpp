#include "sim/units/sdpa_tensors.h"

#include <cmath>

#include "sim/core/error.h"

namespace streamsim::sdpa {

namespace {

// splitmix64 finaliser: a cheap, well-mixed 64-bit hash.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

const char* tensor_name(Tensor t) {
  switch (t) {
    case Tensor::Q: return "q";
    case Tensor::K: return "k";
    case Tensor::V: return "v";
  }
  return "?";
}

Tensor parse_tensor(const std::string& name) {
  if (name == "q") return Tensor::Q;
  if (name == "k") return Tensor::K;
  if (name == "v") return Tensor::V;
  throw Error("unknown SDPA tensor '" + name + "' (valid: q, k, v)");
}

double tensor_amplitude(Tensor t, double score_scale) {
  return t == Tensor::V ? 1.0 : std::sqrt(score_scale);
}

void generate_tensor(Tensor t, int head, int n, int d, std::uint64_t seed, double score_scale,
                     std::vector<double>& out) {
  out.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(d));
  generate_tensor(t, head, n, d, seed, score_scale, out.data());
}

void generate_tensor(Tensor t, int head, int n, int d, std::uint64_t seed, double score_scale,
                     double* out) {
  const std::size_t count = static_cast<std::size_t>(n) * static_cast<std::size_t>(d);
  const double amp = tensor_amplitude(t, score_scale);
  const std::uint64_t stream =
      mix(mix(seed) ^ (static_cast<std::uint64_t>(t) + 1) * 0x100000001b3ull) ^
      mix(static_cast<std::uint64_t>(head) * 0xff51afd7ed558ccdull);
  for (std::size_t i = 0; i < count; ++i) {
    // 53 random bits -> uniform in [0, 1) -> [-amp, amp).
    double u = static_cast<double>(mix(stream + i) >> 11) * 0x1.0p-53;
    out[i] = (2.0 * u - 1.0) * amp;
  }
}

}  // namespace streamsim::sdpa
