#pragma once
// Loops over D-wide rows that dominate the SDPA graphs' units. On x86-64 with GCC or Clang each
// is compiled twice, for AVX2 and for the baseline, and the program picks one when it starts
// (target_clones); both compute bit-identical values: the operations are element-wise or
// summed in a fixed order, and never contracted into fused multiply-adds.

#include <cstddef>
#include <new>
#include <vector>

namespace streamsim::units {

// Allocates on 64-byte (cache-line) boundaries. A row a unit keeps (a held token, an
// accumulator, a source tensor) then starts on a line, so the kernels' 32-byte loads and stores
// of it never straddle two lines; with malloc's 16-byte alignment up to half of them do, and a
// split access costs two. Measured: about 5% of the reordered SDPA run.
template <class T>
struct LineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  LineAllocator() = default;
  template <class U>
  LineAllocator(const LineAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, kAlign); }
  template <class U>
  bool operator==(const LineAllocator<U>&) const {
    return true;
  }
  template <class U>
  bool operator!=(const LineAllocator<U>&) const {
    return false;
  }
};
using LineVector = std::vector<double, LineAllocator<double>>;

// sum_e a[e]*b[e] as eight interleaved partial sums (element e goes to sum e mod 8), added
// pairwise at the end: ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)).
double dot_product(const double* a, const double* b, int n);

// dst[i] = src[i] for i < n (no overlap): a token row, inline instead of a memmove call.
void copy_row(double* dst, const double* src, int n);

// acc[f] = acc[f]*c + e*v[f] for f < n (acc and v do not overlap).
void rescale_accumulate(double* acc, double c, double e, const double* v, int n);

}  // namespace streamsim::units
