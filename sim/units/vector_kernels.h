#pragma once
// Loops over D-wide rows that dominate the SDPA graphs' units. On x86-64 with GCC or Clang each
// is compiled twice, for AVX2 and for the baseline, and the program picks one when it starts
// (target_clones); both compute bit-identical values: the operations are element-wise or
// summed in a fixed order, and never contracted into fused multiply-adds.

namespace streamsim::units {

// sum_e a[e]*b[e] as eight interleaved partial sums (element e goes to sum e mod 8), added
// pairwise at the end: ((s0+s4)+(s2+s6)) + ((s1+s5)+(s3+s7)).
double dot_product(const double* a, const double* b, int n);

// dst[i] = src[i] for i < n (no overlap): a token row, inline instead of a memmove call.
void copy_row(double* dst, const double* src, int n);

// acc[f] = acc[f]*c + e*v[f] for f < n (acc and v do not overlap).
void rescale_accumulate(double* acc, double c, double e, const double* v, int n);

}  // namespace streamsim::units
