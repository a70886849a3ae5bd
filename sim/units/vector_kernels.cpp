#include "sim/units/vector_kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define STREAMSIM_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define STREAMSIM_VECTOR_CLONES
#endif

namespace streamsim::units {

STREAMSIM_VECTOR_CLONES
double dot_product(const double* a, const double* b, int n) {
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int e = 0;
  for (; e + 8 <= n; e += 8)
    for (int k = 0; k < 8; ++k) acc[k] += a[e + k] * b[e + k];
  for (int k = 0; e < n; ++e, ++k) acc[k] += a[e] * b[e];
  return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

// Four doubles at a time; the compiler must not turn the loop back into a memmove call.
STREAMSIM_VECTOR_CLONES __attribute__((optimize("no-tree-loop-distribute-patterns"))) void copy_row(
    double* __restrict dst, const double* __restrict src, int n) {
  typedef double Quad __attribute__((vector_size(32), aligned(8)));  // unaligned access allowed
  int i = 0;
#pragma GCC unroll 4
  for (; i + 4 <= n; i += 4)
    *reinterpret_cast<Quad*>(dst + i) = *reinterpret_cast<const Quad*>(src + i);
  for (; i < n; ++i) dst[i] = src[i];
}

STREAMSIM_VECTOR_CLONES
void rescale_accumulate(double* __restrict acc, double c, double e, const double* __restrict v,
                        int n) {
  for (int f = 0; f < n; ++f) acc[f] = acc[f] * c + e * v[f];
}

}  // namespace streamsim::units
