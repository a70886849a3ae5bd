// softmax_scan: the running-max scan of the reordered (online-softmax) SDPA graph. Over each
// group of N scores s_j it keeps the running max m_j and emits, per score, the pair
//   e = exp(s_j - m_j)   and   c = exp(m_{j-1} - m_j)
// (c = 0 for the first score of a group: nothing accumulated before it survives). A fold
// r <- r*c + e then equals sum_k exp(s_k - m_j) at every step, so no exponent ever exceeds 0.
#include <cmath>
#include <memory>
#include <string>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::sdpa {
namespace {

class SoftmaxScan final : public Unit {
 public:
  SoftmaxScan(const std::string& name, const Params& p)
      : Unit(name, "softmax_scan"), n_(p.get_int("N")) {
    add_input("in");
    add_output("out", 2);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1, 1, false};
  }

  void fire(FiringIO& io) override { scan(io.in[0][0], io.out[0]); }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t b = 0; b < count; ++b) scan(io.input(0, b)[0], io.output(0, b));
  }
  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always

  std::string describe_state() const override {
    return "softmax_scan: " + std::to_string(j_) + " of " + std::to_string(n_) +
           " scores of the row scanned";
  }

 private:
  // One firing: score s in, [e, c] out.
  void scan(double s, double* out) {
    if (j_ == 0) {
      max_ = s;
      out[0] = 1.0;  // exp(s - s)
      out[1] = 0.0;
    } else {
      if (s > max_) {
        out[0] = std::exp(s - s);
        out[1] = std::exp(max_ - s);
        max_ = s;
      } else {
        // The max holds (all but O(log N) scores of a random row): c = exp(max - max), which
        // is exactly 1 unless the max is infinite or NaN; the exp call is a sixth of the run.
        out[0] = std::exp(s - max_);
        out[1] = std::isfinite(max_) ? 1.0 : std::exp(max_ - max_);
      }
    }
    if (++j_ == n_) j_ = 0;
  }

  std::int64_t n_, j_ = 0;
  double max_ = 0;
};

UnitTypeInfo info() {
  UnitTypeInfo t;
  t.type = "softmax_scan";
  t.doc =
      "Running-max scan over groups of N scores: emits per score [e, c] = [exp(s - m_j), "
      "exp(m_{j-1} - m_j)] with m_j the running max (c = 0 at a group's first score).";
  t.inputs = {{"in", "scores, N per group (width 1)"}};
  t.outputs = {{"out", "[e, c] per score (width 2)"}};
  t.schema = units::with_timing(
      {units::int_param("N", std::nullopt, 1, 1e15, "scores per group (row length)")});
  t.make = [](const std::string& name, const Params& p) -> std::unique_ptr<Unit> {
    return std::make_unique<SoftmaxScan>(name, p);
  };
  return t;
}

STREAMSIM_REGISTER_UNIT(info());

}  // namespace
}  // namespace streamsim::sdpa
