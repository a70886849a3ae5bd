// rescale_fold: the running accumulators of the SDPA graphs. Over each group of N inputs it
// folds a weight token and (optionally) a D-wide value row into an accumulator acc and emits
// acc after the group's last input:
//   corrected (weight token [e, c]):  acc <- acc*c + e*v   (reordered numerator / denominator)
//   not corrected (weight token [p]): acc <- acc   + p*v   (naive P.V)
// With D = 0 there is no value input and v = 1: the running denominator r <- r*c + e.
// It holds one D-vector, so its memory does not grow with N.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"
#include "sim/units/vector_kernels.h"

namespace streamsim::sdpa {
namespace {

class RescaleFold final : public Unit {
 public:
  RescaleFold(const std::string& name, const Params& p)
      : Unit(name, "rescale_fold"),
        n_(p.get_int("N")),
        d_(static_cast<int>(p.get_int("D"))),
        corrected_(p.get_bool("corrected")),
        acc_(static_cast<std::size_t>(std::max(d_, 1)), 0.0) {
    add_input("w", corrected_ ? 2 : 1);
    if (d_ > 0) add_input("v", d_);
    add_output("out", std::max(d_, 1));
    set_timing(p.get_int("ii"), p.get_int("latency"));
    const std::uint32_t reads = d_ > 0 ? 3u : 1u;
    rule_ = FiringRule{reads, n_ == 1 ? 1u : 0u, false};
  }

  void fire(FiringIO& io) override { fold(io.in[0], d_ > 0 ? io.in[1] : nullptr, io.out[0]); }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    const bool writes = rule_.writes != 0;  // the same in every firing of a batch
    for (std::uint64_t b = 0; b < count; ++b)
      fold(io.input(0, b), d_ > 0 ? io.input(1, b) : nullptr, writes ? io.output(0, b) : nullptr);
  }
  // The firings before a group's last write nothing; the last writes (with N = 1, all do).
  std::uint64_t steady_firings() const override {
    if (n_ == 1) return kSteadyForever;
    return j_ < n_ - 1 ? static_cast<std::uint64_t>(n_ - 1 - j_) : 1;
  }

  std::string describe_state() const override {
    return "rescale_fold: " + std::to_string(j_) + " of " + std::to_string(n_) +
           " inputs of the group folded";
  }

 private:
  // One firing: w = [e, c] (or [e]) and, when D > 0, the row v in; `out` written at the group's
  // last input.
  void fold(const double* w, const double* v, double* out) {
    const double e = w[0];
    const double c = corrected_ ? w[1] : 1.0;
    const int width = static_cast<int>(acc_.size());
    if (d_ > 0) {
      units::rescale_accumulate(acc_.data(), c, e, v, width);
    } else {
      acc_[0] = acc_[0] * c + e;
    }
    if (++j_ == n_) {
      std::copy(acc_.begin(), acc_.end(), out);
      std::fill(acc_.begin(), acc_.end(), 0.0);
      j_ = 0;
    }
    rule_.writes = j_ == n_ - 1 ? 1u : 0u;
  }

  std::int64_t n_, j_ = 0;
  int d_;
  bool corrected_;
  units::LineVector acc_;
};

UnitTypeInfo info() {
  UnitTypeInfo t;
  t.type = "rescale_fold";
  t.doc =
      "Folds N (weight, value row) pairs per group and emits the accumulator after the last: "
      "acc <- acc*c + e*v with weight [e, c] (corrected) or acc <- acc + p*v with weight [p]; "
      "D = 0: no value input, v = 1 (a running denominator).";
  t.inputs = {{"w", "[e, c] (width 2) if corrected, else [p] (width 1)"},
              {"v", "value rows (width D); absent when D = 0"}};
  t.outputs = {{"out", "the accumulator after each group (width max(D, 1))"}};
  t.schema = units::with_timing({
      units::int_param("N", std::nullopt, 1, 1e15, "inputs per group (row length)"),
      units::int_param("D", "0", 0, 1 << 20, "width of the value rows; 0 = no value input"),
      units::bool_param("corrected", "true", "weights carry a correction factor c"),
  });
  t.make = [](const std::string& name, const Params& p) -> std::unique_ptr<Unit> {
    return std::make_unique<RescaleFold>(name, p);
  };
  return t;
}

STREAMSIM_REGISTER_UNIT(info());

}  // namespace
}  // namespace streamsim::sdpa
