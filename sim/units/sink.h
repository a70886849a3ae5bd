#pragma once
// `sink`: consumes a stream. Keeps the first `keep` values, counts tokens, sums values, and
// compares against an expectation (`expect` list or `expect_file`) if one is given.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/core/params.h"
#include "sim/core/unit.h"

namespace streamsim::units {

class SinkUnit : public Unit {
 public:
  SinkUnit(const std::string& name, const Params& params);
  void fire(FiringIO& io) override;
  void fire_batch(const BatchIO& io, std::uint64_t count) override;
  // One rule until `count` tokens have arrived (with no count, for ever).
  std::uint64_t steady_firings() const override {
    return limit_ > 0 ? limit_ - tokens_ : ~std::uint64_t{0};
  }
  std::string describe_state() const override;

  const std::vector<double>& values() const { return values_; }  // first `keep` values, flat
  std::uint64_t count() const { return tokens_; }                // tokens received
  std::uint64_t value_count() const { return tokens_ * static_cast<std::uint64_t>(width_); }
  double sum() const { return sum_; }  // of every value received
  bool has_expectation() const { return expect_ != nullptr; }
  std::uint64_t expected_count() const { return expect_ ? expect_->size() : 0; }
  // Largest |value - expected| over the compared values (infinity if a NaN was compared).
  double max_abs_error() const { return max_abs_error_; }
  // Values outside the tolerance, plus values received beyond the expectation's end, plus
  // expected values never received. 0 means the stream matched exactly in length and value.
  std::uint64_t mismatches() const { return mismatches_ + missing(); }
  std::uint64_t missing() const;  // expected values not (yet) received
  // Index (in the flat value stream) of the first mismatching value, or -1.
  std::int64_t first_mismatch() const { return first_mismatch_; }

 private:
  int width_;
  std::uint64_t keep_, limit_;
  double tolerance_;
  std::vector<double> values_;
  std::shared_ptr<const std::vector<double>> expect_;
  std::uint64_t tokens_ = 0, mismatches_ = 0;
  double sum_ = 0, max_abs_error_ = 0;
  std::int64_t first_mismatch_ = -1;
};

}  // namespace streamsim::units
