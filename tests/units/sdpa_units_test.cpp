// Unit tests of the SDPA-specific units, with no engine (UnitHarness).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "sim/core/error.h"
#include "sim/core/registry.h"
#include "sim/core/unit_harness.h"
#include "sim/units/sdpa_tensors.h"
#include "sim/units/vector_kernels.h"

namespace streamsim {
namespace {

UnitHarness harness(const std::string& type, const Params& p) {
  return UnitHarness(make_unit(type, "u", p));
}

TEST(SdpaTensors, DeterministicAndIndependentPerTensorAndHead) {
  std::vector<double> a, b, c, h1;
  sdpa::generate_tensor(sdpa::Tensor::Q, 0, 4, 3, 7, 4.0, a);
  sdpa::generate_tensor(sdpa::Tensor::Q, 0, 4, 3, 7, 4.0, b);
  sdpa::generate_tensor(sdpa::Tensor::K, 0, 4, 3, 7, 4.0, c);
  sdpa::generate_tensor(sdpa::Tensor::Q, 1, 4, 3, 7, 4.0, h1);
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, h1);
  for (double x : a) {
    EXPECT_GE(x, -2.0);  // amplitude sqrt(4)
    EXPECT_LT(x, 2.0);
  }
  std::vector<double> v;
  sdpa::generate_tensor(sdpa::Tensor::V, 0, 64, 4, 7, 100.0, v);
  for (double x : v) EXPECT_LT(std::fabs(x), 1.0);  // V ignores the score scale
}

TEST(SdpaTensors, PointerOverloadWritesTheSameValues) {
  std::vector<double> v;
  sdpa::generate_tensor(sdpa::Tensor::V, 1, 5, 3, 9, 2.0, v);
  units::LineVector w(15);
  sdpa::generate_tensor(sdpa::Tensor::V, 1, 5, 3, 9, 2.0, w.data());
  EXPECT_EQ(std::vector<double>(w.begin(), w.end()), v);
}

// The rows units keep start on a cache line, whatever size and however often they grow.
TEST(LineVector, StorageIsCacheLineAligned) {
  for (std::size_t n : {1u, 3u, 64u, 1000u}) {
    units::LineVector a(n, 1.0);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data()) % 64, 0u) << n;
    a.resize(3 * n + 1);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data()) % 64, 0u) << n;
  }
}

TEST(SdpaSource, OrdersAndWidths) {
  std::vector<double> k;
  sdpa::generate_tensor(sdpa::Tensor::K, 0, 3, 2, 5, 1.0, k);
  Params p;
  p.set("tensor", "k").set("N", 3).set("D", 2).set("seed", 5);
  {
    p.set("order", "per_query").set("width", "vector");
    UnitHarness h = harness("sdpa_source", p);
    EXPECT_EQ(h.run(), 9u);  // N rows, N times
    for (int t = 0; t < 9; ++t) {
      int row = t % 3;
      EXPECT_EQ(h.output(0)[t], (std::vector<double>{k[row * 2], k[row * 2 + 1]}));
    }
  }
  {
    p.set("order", "row_repeat").set("width", "scalar");
    UnitHarness h = harness("sdpa_source", p);
    EXPECT_EQ(h.run(), 18u);
    auto out = h.output_scalars(0);
    for (int t = 0; t < 18; ++t) EXPECT_EQ(out[t], k[(t / 6) * 2 + t % 2]);
  }
  {
    p.set("order", "once").set("width", "scalar").set("heads", 2);
    UnitHarness h = harness("sdpa_source", p);
    EXPECT_EQ(h.run(), 12u);
    std::vector<double> k1;
    sdpa::generate_tensor(sdpa::Tensor::K, 1, 3, 2, 5, 1.0, k1);
    auto out = h.output_scalars(0);
    EXPECT_EQ(std::vector<double>(out.begin(), out.begin() + 6), k);
    EXPECT_EQ(std::vector<double>(out.begin() + 6, out.end()), k1);
  }
}

// Rows go by reference, pointers into the kept tensors: no copy per firing.
TEST(SdpaSource, RowsAreSentByReference) {
  Params p;
  p.set("tensor", "q").set("N", 3).set("D", 2).set("seed", 5).set("heads", 2);
  EXPECT_TRUE(make_unit("sdpa_source", "u", p)->outputs()[0].by_reference);
  p.set("width", "scalar");
  EXPECT_FALSE(make_unit("sdpa_source", "u", p)->outputs()[0].by_reference);
  // Heads x N x D above 2^23 values: the tensors are not all kept, rows are copied.
  p.set("width", "vector").set("N", 1 << 12).set("D", 64).set("heads", 33);
  EXPECT_FALSE(make_unit("sdpa_source", "u", p)->outputs()[0].by_reference);
  p.set("heads", 32);
  EXPECT_TRUE(make_unit("sdpa_source", "u", p)->outputs()[0].by_reference);
}

// The harness collects the referenced rows' values; heads after the first are generated into
// buffers of their own (SdpaSourceHeadsInFlightKeepTheirValues checks that with an engine).
TEST(SdpaSource, ReferencedRowsOfEveryHead) {
  Params p;
  p.set("tensor", "q").set("N", 3).set("D", 2).set("seed", 5).set("heads", 3);
  UnitHarness h = harness("sdpa_source", p);
  ASSERT_TRUE(h.unit().outputs()[0].by_reference);
  EXPECT_EQ(h.run(), 9u);
  for (int head = 0; head < 3; ++head) {
    std::vector<double> q;
    sdpa::generate_tensor(sdpa::Tensor::Q, head, 3, 2, 5, 1.0, q);
    for (int row = 0; row < 3; ++row)
      EXPECT_EQ(h.output(0)[head * 3 + row], (std::vector<double>{q[row * 2], q[row * 2 + 1]}));
  }
}

TEST(SdpaSource, RejectsUnknownTensor) {
  Params p;
  p.set("tensor", "x").set("N", 3).set("D", 2);
  EXPECT_THROW(harness("sdpa_source", p), Error);
}

TEST(SoftmaxScan, EmitsShiftedExpAndCorrection) {
  UnitHarness h = harness("softmax_scan", Params().set("N", 3));
  h.push_scalars(0, {1.0, 3.0, 2.0, 5.0, 4.0, 6.0});
  EXPECT_EQ(h.run(), 6u);
  const auto& o = h.output(0);
  ASSERT_EQ(o.size(), 6u);
  // Group 1: maxima 1, 3, 3.
  EXPECT_DOUBLE_EQ(o[0][0], 1.0);
  EXPECT_DOUBLE_EQ(o[0][1], 0.0);
  EXPECT_DOUBLE_EQ(o[1][0], 1.0);
  EXPECT_DOUBLE_EQ(o[1][1], std::exp(1.0 - 3.0));
  EXPECT_DOUBLE_EQ(o[2][0], std::exp(2.0 - 3.0));
  EXPECT_DOUBLE_EQ(o[2][1], 1.0);
  // Group 2 restarts: maxima 5, 5, 6.
  EXPECT_DOUBLE_EQ(o[3][0], 1.0);
  EXPECT_DOUBLE_EQ(o[3][1], 0.0);
  EXPECT_DOUBLE_EQ(o[4][0], std::exp(-1.0));
  EXPECT_DOUBLE_EQ(o[5][1], std::exp(-1.0));
}

// Bit for bit the defining formulas e = exp(s - m_j), c = exp(m_{j-1} - m_j), including the
// shortcut c = 1 while the max holds: equal scores, a max reached again, and infinite and NaN
// scores (where exp(max - max) is NaN, not 1).
TEST(SoftmaxScan, MatchesTheFormulaBitForBit) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> s = {0.5,  2.0,  2.0, -1.0, 3.0, 3.0, 1.0,  // group 1 (N = 7)
                                 inf,  1.0,  inf, -inf, 2.0, 0.0, 5.0,  // group 2
                                 nan,  1.0,  2.0, -3.0, nan, 4.0, 4.0,  // group 3
                                 -inf, -inf, 1.0, 7.0,  6.5, 7.0, 8.0};
  UnitHarness h = harness("softmax_scan", Params().set("N", 7));
  h.push_scalars(0, s);
  EXPECT_EQ(h.run(), s.size());
  const auto& o = h.output(0);
  ASSERT_EQ(o.size(), s.size());
  auto same_bits = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
  double m = 0;
  for (std::size_t j = 0; j < s.size(); ++j) {
    SCOPED_TRACE(j);
    double e = 1.0, c = 0.0;
    if (j % 7 == 0) {
      m = s[j];
    } else {
      const double next = s[j] > m ? s[j] : m;
      e = std::exp(s[j] - next);
      c = std::exp(m - next);
      m = next;
    }
    EXPECT_TRUE(same_bits(o[j][0], e)) << o[j][0] << " vs " << e;
    EXPECT_TRUE(same_bits(o[j][1], c)) << o[j][1] << " vs " << c;
  }
}

TEST(SoftmaxScan, HugeScoresStayFinite) {
  UnitHarness h = harness("softmax_scan", Params().set("N", 3));
  h.push_scalars(0, {800.0, 1500.0, -900.0});
  h.run();
  for (const auto& t : h.output(0)) {
    EXPECT_TRUE(std::isfinite(t[0]));
    EXPECT_TRUE(std::isfinite(t[1]));
  }
}

TEST(RescaleFold, DenominatorEqualsShiftedSum) {
  // Scan then fold: r = sum exp(s - max).
  UnitHarness scan = harness("softmax_scan", Params().set("N", 4));
  std::vector<double> s = {0.5, 2.0, -1.0, 3.0};
  scan.push_scalars(0, s);
  scan.run();
  UnitHarness fold = harness("rescale_fold", Params().set("N", 4));
  for (const auto& t : scan.output(0)) fold.push(0, t);
  EXPECT_EQ(fold.run(), 4u);
  ASSERT_EQ(fold.output(0).size(), 1u);
  double want = 0;
  for (double x : s) want += std::exp(x - 3.0);
  EXPECT_NEAR(fold.output(0)[0][0], want, 1e-15);
}

TEST(RescaleFold, NumeratorWithValuesAndGroups) {
  UnitHarness fold = harness("rescale_fold", Params().set("N", 2).set("D", 2));
  // Group 1: acc = [1,2]*1 ; then acc*0.5 + 2*[3,4] = [6.5, 9].
  fold.push(0, {1.0, 0.0});
  fold.push(1, {1.0, 2.0});
  fold.push(0, {2.0, 0.5});
  fold.push(1, {3.0, 4.0});
  // Group 2 starts from zero.
  fold.push(0, {1.0, 0.0});
  fold.push(1, {1.0, 1.0});
  fold.push(0, {1.0, 1.0});
  fold.push(1, {1.0, 1.0});
  EXPECT_EQ(fold.run(), 4u);
  ASSERT_EQ(fold.output(0).size(), 2u);
  EXPECT_EQ(fold.output(0)[0], (std::vector<double>{6.5, 9.0}));
  EXPECT_EQ(fold.output(0)[1], (std::vector<double>{2.0, 2.0}));
}

TEST(RescaleFold, UncorrectedIsWeightedSum) {
  UnitHarness fold =
      harness("rescale_fold", Params().set("N", 3).set("D", 1).set("corrected", false));
  EXPECT_EQ(fold.unit().inputs()[0].width, 1);
  fold.push_scalars(0, {0.5, 0.25, 0.25});
  fold.push_scalars(1, {4.0, 8.0, -4.0});
  fold.run();
  EXPECT_EQ(fold.output_scalars(0), std::vector<double>{3.0});
}

}  // namespace
}  // namespace streamsim
