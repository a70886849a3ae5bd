#pragma once
// The units of the benchmark pipeline, written here (not taken from the operator library) so
// that the benchmark measures the engines alone and builds without the library being merged.
#include <cstdint>
#include <string>

#include "sim/core/unit.h"

namespace streamsim::bench {

// Emits 0, 1, ..., count-1, one per firing (II = latency = 1).
class BenchSource final : public Unit {
 public:
  BenchSource(const std::string& name, std::uint64_t count)
      : Unit(name, "bench_source"), count_(count) {
    add_output("out");
    rule_ = FiringRule{0, 1, count == 0};
  }
  void fire(FiringIO& io) override {
    io.out[0][0] = static_cast<double>(next_++);
    rule_.done = next_ >= count_;
  }
  // Like the operator library's units, these promise steady firings (Unit::steady_firings), so
  // the fast engine may run them in batches once the pipeline's timing repeats.
  std::uint64_t steady_firings() const override { return count_ - next_; }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t b = 0; b < count; ++b) io.output(0, b)[0] = static_cast<double>(next_++);
    rule_.done = next_ >= count_;
  }

 private:
  std::uint64_t count_, next_ = 0;
};

// The map stage: out = in + 1 (II = latency = 1).
class AddOneMap final : public Unit {
 public:
  explicit AddOneMap(const std::string& name) : Unit(name, "bench_add_one") {
    add_input("in");
    add_output("out");
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override { io.out[0][0] = io.in[0][0] + 1.0; }
  std::uint64_t steady_firings() const override { return kSteadyForever; }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t b = 0; b < count; ++b) io.output(0, b)[0] = io.input(0, b)[0] + 1.0;
  }
};

// Counts tokens and keeps the last value, so the bench can check every variant computed the
// same thing without storing 10 M values.
class CheckingSink final : public Unit {
 public:
  explicit CheckingSink(const std::string& name) : Unit(name, "bench_sink") {
    add_input("in");
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override {
    ++count_;
    last_ = io.in[0][0];
  }
  std::uint64_t steady_firings() const override { return kSteadyForever; }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    count_ += count;
    last_ = io.input(0, count - 1)[0];
  }
  std::uint64_t count() const { return count_; }
  double last() const { return last_; }

 private:
  std::uint64_t count_ = 0;
  double last_ = -1;
};

}  // namespace streamsim::bench
