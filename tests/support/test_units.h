#pragma once
// Minimal units for engine tests that must not depend on the operator library.
#include <memory>
#include <vector>

#include "sim/core/unit.h"

namespace streamsim::testing {

// Emits values 0, 1, ..., count-1.
class CountingSource : public Unit {
 public:
  CountingSource(const std::string& name, std::uint64_t count, Cycle ii = 1, Cycle latency = 1)
      : Unit(name, "test_source"), count_(count) {
    add_output("out");
    set_timing(ii, latency);
    rule_ = FiringRule{0, 1, count == 0};
  }
  void fire(FiringIO& io) override {
    io.out[0][0] = static_cast<double>(next_++);
    rule_.done = next_ >= count_;
  }

 private:
  std::uint64_t count_, next_ = 0;
};

// Reads one token from every input, sends input0 + sum(other inputs) to every output.
class PassStage : public Unit {
 public:
  PassStage(const std::string& name, int inputs = 1, int outputs = 1, Cycle ii = 1, Cycle latency = 1)
      : Unit(name, "test_stage") {
    for (int i = 0; i < inputs; ++i) add_input("in" + std::to_string(i));
    for (int i = 0; i < outputs; ++i) add_output("out" + std::to_string(i));
    set_timing(ii, latency);
    rule_ = FiringRule{(1u << inputs) - 1u, outputs == 32 ? ~0u : (1u << outputs) - 1u, false};
  }
  void fire(FiringIO& io) override {
    double v = 0;
    for (std::size_t p = 0; p < inputs().size(); ++p) v += io.in[p][0];
    for (std::size_t p = 0; p < outputs().size(); ++p) io.out[p][0] = v;
  }
};

// Collects every value.
class CollectingSink : public Unit {
 public:
  explicit CollectingSink(const std::string& name) : Unit(name, "test_sink") {
    add_input("in");
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override { values.push_back(io.in[0][0]); }
  std::vector<double> values;
};

}  // namespace streamsim::testing
