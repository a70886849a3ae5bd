#include "graphs/sdpa/reference.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/units/sdpa_tensors.h"

namespace streamsim::sdpa {

ReferenceResult reference_sdpa(int n, int d, int heads, std::uint64_t seed, double score_scale) {
  ReferenceResult r;
  r.out.reserve(static_cast<std::size_t>(heads) * n * d);
  r.max_score = -std::numeric_limits<double>::infinity();
  r.min_score = std::numeric_limits<double>::infinity();
  std::vector<double> q, k, v, s(static_cast<std::size_t>(n)), o(static_cast<std::size_t>(d));
  const double inv_sqrt_d = 1.0 / std::sqrt(static_cast<double>(d));
  for (int h = 0; h < heads; ++h) {
    generate_tensor(Tensor::Q, h, n, d, seed, score_scale, q);
    generate_tensor(Tensor::K, h, n, d, seed, score_scale, k);
    generate_tensor(Tensor::V, h, n, d, seed, score_scale, v);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        double dot = 0;
        for (int f = 0; f < d; ++f) dot += q[i * d + f] * k[j * d + f];
        s[j] = dot * inv_sqrt_d;
      }
      const auto [lo, hi] = std::minmax_element(s.begin(), s.end());
      r.max_score = std::max(r.max_score, *hi);
      r.min_score = std::min(r.min_score, *lo);
      r.max_row_range = std::max(r.max_row_range, *hi - *lo);
      double sum = 0;
      std::fill(o.begin(), o.end(), 0.0);
      for (int j = 0; j < n; ++j) {
        const double p = std::exp(s[j] - *hi);
        sum += p;
        for (int f = 0; f < d; ++f) o[f] += p * v[j * d + f];
      }
      for (int f = 0; f < d; ++f) r.out.push_back(o[f] / sum);
    }
  }
  return r;
}

double max_abs_error(const std::vector<double>& got, const std::vector<double>& want) {
  if (got.size() != want.size()) return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double e = std::fabs(got[i] - want[i]);
    if (!(e <= worst)) worst = std::isnan(e) ? std::numeric_limits<double>::infinity() : e;
  }
  return worst;
}

}  // namespace streamsim::sdpa
