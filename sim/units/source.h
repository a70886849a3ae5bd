#pragma once
// `source`: emits `count` tokens of `width` values, `repeat` times over. Values are generated
// on the fly (random, ramp, constant) or read from a tensor file / a literal list; a random
// stream is regenerated from its seed for every repetition, never stored.
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "sim/core/params.h"
#include "sim/core/unit.h"

namespace streamsim::units {

class SourceUnit : public Unit {
 public:
  enum class Kind { Random, Ramp, Constant, File, List };

  SourceUnit(const std::string& name, const Params& params);
  void fire(FiringIO& io) override;
  void fire_batch(const BatchIO& io, std::uint64_t count) override;
  // One rule until the last token is sent.
  std::uint64_t steady_firings() const override { return total_tokens() - emitted_; }
  std::string describe_state() const override;

  std::uint64_t tokens_per_repetition() const { return count_; }
  std::uint64_t total_tokens() const { return count_ * repeats_; }
  std::uint64_t emitted() const { return emitted_; }
  bool work_progress(std::uint64_t& done, std::uint64_t& total) const override {
    done = emitted_;
    total = total_tokens();
    return true;
  }

 private:
  double next_value();
  void restart();

  Kind kind_;
  int width_;
  std::uint64_t count_ = 0, repeats_ = 1;
  std::uint64_t emitted_ = 0;  // tokens sent so far, all repetitions
  std::uint64_t element_ = 0;  // index of the next value within the current repetition
  double a_ = 0, b_ = 0;       // random: min, max - min; ramp: start, step; constant: value
  std::uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  std::shared_ptr<const std::vector<double>> data_;  // file / list values
};

}  // namespace streamsim::units
