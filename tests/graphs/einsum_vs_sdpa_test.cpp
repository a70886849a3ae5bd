// Compiled attention cascades against the hand-built SDPA graphs (graphs/sdpa) at the same
// N and D: naive <-> attention_2pass_nomax, naive_stable <-> attention_3pass, reordered <->
// attention_1pass with M0 = 1 (the hand-built reordered graph rescales after every key).
// The cascades omit 1/sqrt(E), so Q is fed pre-scaled by 1/sqrt(D); both then compute
// softmax(Q K^T / sqrt(D)) V on bit-identical inputs. The table printed here is the one in
// docs/einsum-language.md ("Compiled cascades vs the hand-built SDPA graphs").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/compiler.h"
#include "graphs/sdpa/reference.h"
#include "graphs/sdpa/sdpa_graph.h"
#include "sim/engines/fast/fast_engine.h"
#include "sim/units/sdpa_tensors.h"
#include "sim/units/sink.h"

namespace streamsim {
namespace einsum {
namespace {

using sdpa::Variant;

struct Pair {
  const char* cascade;
  Variant variant;
};

const Pair kPairs[] = {{"attention_2pass_nomax", Variant::Naive},
                       {"attention_3pass", Variant::NaiveStable},
                       {"attention_1pass", Variant::Reordered}};

constexpr std::uint64_t kSeed = 3;

// Cascade layout X[e, n] (row-major) from the SDPA generator's n x d rows.
std::vector<double> transposed(sdpa::Tensor t, int n, int d, double scale) {
  std::vector<double> rows, out(static_cast<std::size_t>(n * d));
  sdpa::generate_tensor(t, 0, n, d, kSeed, 1.0, rows);
  for (int i = 0; i < n; ++i)
    for (int e = 0; e < d; ++e) out[static_cast<std::size_t>(e * n + i)] = rows[static_cast<std::size_t>(i * d + e)] * scale;
  return out;
}

CompiledCascade compile_pair(const Pair& pr, int n, int d, std::optional<std::int64_t> slack = std::nullopt) {
  SizeOverrides sizes{{"M", n}, {"P", n}, {"E", d}, {"F", d}};
  if (pr.variant == Variant::Reordered) sizes["M0"] = 1;
  Cascade c = parse_cascade_file(std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/" + pr.cascade + ".cascade", sizes);
  CompileOptions o;
  o.order = {"p", "m"};
  o.fiber_slack = slack;
  o.inputs.inputs["Q"] = transposed(sdpa::Tensor::Q, n, d, 1.0 / std::sqrt(static_cast<double>(d)));
  o.inputs.inputs["K"] = transposed(sdpa::Tensor::K, n, d, 1.0);
  o.inputs.inputs["V"] = transposed(sdpa::Tensor::V, n, d, 1.0);
  return compile_cascade(c, o);
}

sdpa::SdpaParams hand_params(Variant v, int n, int d, Cycle long_depth = 0) {
  sdpa::SdpaParams p;
  p.variant = v;
  p.N = n;
  p.D = d;
  p.seed = kSeed;
  p.long_depth = long_depth;
  return p;
}

std::uint64_t peak_sum(const RunResult& r) {
  std::uint64_t s = 0;
  for (const auto& c : r.channels) s += c.peak_occupancy;
  return s;
}

// Smallest depth of the long FIFOs that finishes (searched downward from `start`).
template <class Build>
std::int64_t threshold(std::int64_t start, Build build) {
  std::int64_t d = start;
  while (d > 1 && FastEngine().run(build(d - 1)).status == RunStatus::Finished) --d;
  return d;
}

struct Row {
  std::string name;
  int n = 0;
  Cycle hand_cycles = 0, compiled_cycles = 0;
  std::uint64_t hand_peak = 0, compiled_peak = 0;
  std::int64_t hand_threshold = 0, compiled_threshold = 0;  // 0: no long FIFO
  double compiled_error = 0, hand_error = 0;
};

Row measure(const Pair& pr, int n, int d) {
  Row row;
  row.name = std::string(sdpa::variant_name(pr.variant)) + " / " + pr.cascade;
  row.n = n;
  CompiledCascade cc = compile_pair(pr, n, d);
  RunResult rc = FastEngine().run(cc.graph);
  EXPECT_EQ(rc.status, RunStatus::Finished) << row.name;
  RunResult rh = FastEngine().run(sdpa::build_sdpa_graph(hand_params(pr.variant, n, d)));
  EXPECT_EQ(rh.status, RunStatus::Finished) << row.name;
  sdpa::ReferenceResult ref = sdpa::reference_sdpa(n, d, 1, kSeed, 1.0);
  auto* sink = rc.unit_as<units::SinkUnit>(cc.sinks.at("AV"));
  EXPECT_EQ(sink->mismatches(), 0u) << row.name;  // against the evaluator
  row.compiled_error = sdpa::max_abs_error(sink->values(), ref.out);
  row.hand_error = sdpa::max_abs_error(rh.unit_as<units::SinkUnit>(sdpa::kSdpaSink)->values(), ref.out);
  row.hand_cycles = rh.cycles;
  row.compiled_cycles = rc.cycles;
  row.hand_peak = peak_sum(rh);
  row.compiled_peak = peak_sum(rc);
  if (pr.variant != Variant::Reordered) {
    row.hand_threshold = threshold(n + 3, [&](std::int64_t depth) {
      return sdpa::build_sdpa_graph(hand_params(pr.variant, n, d, depth));
    });
    // fiber FIFOs get depth n + slack: depth x is slack x - n.
    row.compiled_threshold = threshold(n + 3, [&](std::int64_t depth) { return compile_pair(pr, n, d, depth - n).graph; });
  }
  return row;
}

TEST(EinsumVsSdpa, SameValuesThresholdsCyclesAndBufferGrowth) {
  const int d = 8;
  std::vector<Row> rows;
  for (int n : {16, 64})
    for (const Pair& pr : kPairs) rows.push_back(measure(pr, n, d));
  std::printf("| pair (hand-built / cascade) | N | cycles hand | cycles compiled | diff | peak buffer hand | "
              "peak buffer compiled | long-FIFO threshold hand | compiled | max error vs double (compiled) |\n");
  for (const Row& r : rows) {
    double diff = 100.0 * static_cast<double>(r.compiled_cycles - r.hand_cycles) / static_cast<double>(r.hand_cycles);
    std::printf("| %s | %d | %lld | %lld | %+.2f%% | %llu | %llu | %s | %s | %.1e |\n", r.name.c_str(), r.n,
                static_cast<long long>(r.hand_cycles), static_cast<long long>(r.compiled_cycles), diff,
                static_cast<unsigned long long>(r.hand_peak), static_cast<unsigned long long>(r.compiled_peak),
                r.hand_threshold ? std::to_string(r.hand_threshold).c_str() : "-",
                r.compiled_threshold ? std::to_string(r.compiled_threshold).c_str() : "-", r.compiled_error);
    SCOPED_TRACE(r.name + " N=" + std::to_string(r.n));
    EXPECT_LT(r.compiled_error, 1e-12);
    EXPECT_LT(r.hand_error, 1e-12);
    EXPECT_LE(std::abs(diff), 5.0);
    EXPECT_EQ(r.compiled_threshold, r.hand_threshold);
    if (r.hand_threshold) EXPECT_EQ(r.hand_threshold, r.n - 1);
  }
  // Buffer growth from N = 16 to 64: O(N) for the multi-pass pairs, O(1) for 1-pass / reordered.
  for (std::size_t k = 0; k < 3; ++k) {
    const Row& a = rows[k];
    const Row& b = rows[k + 3];
    if (kPairs[k].variant == Variant::Reordered) {
      EXPECT_EQ(a.hand_peak, b.hand_peak);
      EXPECT_EQ(a.compiled_peak, b.compiled_peak);
    } else {
      EXPECT_GE(b.hand_peak - a.hand_peak, 48u);
      EXPECT_GE(b.compiled_peak - a.compiled_peak, 48u);
    }
  }
}

}  // namespace
}  // namespace einsum
}  // namespace streamsim
