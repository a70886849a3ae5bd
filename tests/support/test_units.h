#pragma once
// Minimal units for engine tests that must not depend on the operator library.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/unit.h"

namespace streamsim::testing {

// Emits values 0, 1, ..., count-1 (plus `offset`).
class CountingSource : public Unit {
 public:
  CountingSource(const std::string& name, std::uint64_t count, Cycle ii = 1, Cycle latency = 1,
                 double offset = 0)
      : Unit(name, "test_source"), count_(count), offset_(offset) {
    add_output("out");
    set_timing(ii, latency);
    rule_ = FiringRule{0, 1, count == 0};
  }
  void fire(FiringIO& io) override {
    io.out[0][0] = offset_ + static_cast<double>(next_++);
    rule_.done = next_ >= count_;
  }
  std::uint64_t steady_firings() const override { return count_ - next_; }

 private:
  std::uint64_t count_, next_ = 0;
  double offset_;
};

// Reads one token from every input, sends input0 + sum(other inputs) to every output.
class PassStage : public Unit {
 public:
  PassStage(const std::string& name, int inputs = 1, int outputs = 1, Cycle ii = 1,
            Cycle latency = 1)
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
  std::uint64_t steady_firings() const override { return kSteadyForever; }
};

// Like PassStage, but every firing has its own II and latency, cycling through the given
// lists (a unit whose timing varies, like a reduce that needs extra cycles to reset).
class VaryingStage : public Unit {
 public:
  VaryingStage(const std::string& name, int inputs, int outputs, std::vector<Cycle> iis,
               std::vector<Cycle> latencies)
      : Unit(name, "test_varying"), iis_(std::move(iis)), latencies_(std::move(latencies)) {
    for (int i = 0; i < inputs; ++i) add_input("in" + std::to_string(i));
    for (int i = 0; i < outputs; ++i) add_output("out" + std::to_string(i));
    set_timing(iis_[0], latencies_[0]);
    rule_ = FiringRule{(1u << inputs) - 1u, (1u << outputs) - 1u, false};
  }
  void fire(FiringIO& io) override {
    double v = static_cast<double>(n_);
    for (std::size_t p = 0; p < inputs().size(); ++p) v += io.in[p][0];
    for (std::size_t p = 0; p < outputs().size(); ++p)
      io.out[p][0] = v * static_cast<double>(p + 1);
    firing_ii_ = iis_[n_ % iis_.size()];
    firing_latency_ = latencies_[n_ % latencies_.size()];
    ++n_;
  }
  Cycle max_firing_delay() const override {
    return *std::max_element(iis_.begin(), iis_.end()) +
           *std::max_element(latencies_.begin(), latencies_.end());
  }
  // The next firings whose II and latency are the current ones (a stretch of equal entries).
  std::uint64_t steady_firings() const override {
    std::uint64_t k = 0;
    const std::size_t limit = std::max(iis_.size(), latencies_.size());
    while (k < limit && iis_[(n_ + k) % iis_.size()] == firing_ii_ &&
           latencies_[(n_ + k) % latencies_.size()] == firing_latency_)
      ++k;
    return k == limit ? kSteadyForever : k;
  }

 private:
  std::vector<Cycle> iis_, latencies_;
  std::size_t n_ = 0;
};

// One input, several outputs: each firing sends its token to the next output in turn
// (a rule that writes a different port every firing).
class RoundRobinSplit : public Unit {
 public:
  RoundRobinSplit(const std::string& name, int outputs) : Unit(name, "test_split") {
    add_input("in");
    for (int i = 0; i < outputs; ++i) add_output("out" + std::to_string(i));
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override {
    io.out[next_][0] = io.in[0][0];
    next_ = (next_ + 1) % static_cast<int>(outputs().size());
    rule_.writes = 1u << next_;
  }

 private:
  int next_ = 0;
};

// Several inputs, one output: each firing takes a token from the next input in turn.
class RoundRobinMerge : public Unit {
 public:
  RoundRobinMerge(const std::string& name, int inputs) : Unit(name, "test_merge") {
    for (int i = 0; i < inputs; ++i) add_input("in" + std::to_string(i));
    add_output("out");
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override {
    io.out[0][0] = io.in[next_][0] + 1000.0 * next_;
    next_ = (next_ + 1) % static_cast<int>(inputs().size());
    rule_.reads = 1u << next_;
  }

 private:
  int next_ = 0;
};

// Sums groups of `n` inputs and emits one token per group (a firing that reads but does not
// write, then one that does both).
class GroupSum : public Unit {
 public:
  GroupSum(const std::string& name, int n, Cycle reset_ii = 1)
      : Unit(name, "test_group_sum"), n_(n), reset_ii_(reset_ii) {
    add_input("in");
    add_output("out");
    rule_ = FiringRule{1, n == 1 ? 1u : 0u, false};
  }
  void fire(FiringIO& io) override {
    acc_ += io.in[0][0];
    firing_ii_ = 1;
    if (++seen_ == n_) {
      io.out[0][0] = acc_;
      acc_ = 0;
      seen_ = 0;
      firing_ii_ = reset_ii_;
    }
    rule_.writes = seen_ == n_ - 1 ? 1u : 0u;
  }
  std::uint64_t steady_firings() const override {
    const bool last = seen_ == n_ - 1;
    if (firing_ii_ != (last ? reset_ii_ : 1)) return 0;
    if (n_ == 1) return kSteadyForever;
    return last ? 1 : static_cast<std::uint64_t>(n_ - 1 - seen_);
  }
  Cycle max_firing_delay() const override { return std::max<Cycle>(1, reset_ii_) + latency(); }
  std::string describe_state() const override {
    return "group sum: " + std::to_string(seen_) + " of " + std::to_string(n_) + " inputs folded";
  }

 private:
  int n_, seen_ = 0;
  Cycle reset_ii_;
  double acc_ = 0;
};

// Sends every input token `n` times (a firing that writes but does not read, then one that
// does both).
class Repeat : public Unit {
 public:
  Repeat(const std::string& name, int n) : Unit(name, "test_repeat"), n_(n) {
    add_input("in");
    add_output("out");
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override {
    if (sent_ == 0) value_ = io.in[0][0];
    io.out[0][0] = value_;
    sent_ = (sent_ + 1) % n_;
    rule_.reads = sent_ == 0 ? 1u : 0u;
  }
  std::uint64_t steady_firings() const override {
    if (n_ == 1) return kSteadyForever;
    return sent_ == 0 ? 1 : static_cast<std::uint64_t>(n_ - sent_);
  }

 private:
  int n_, sent_ = 0;
  double value_ = 0;
};

// Counts and sums its inputs without storing them (for long runs).
class CountingSink : public Unit {
 public:
  explicit CountingSink(const std::string& name) : Unit(name, "test_counting_sink") {
    add_input("in");
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override {
    ++count;
    sum += io.in[0][0];
  }
  std::uint64_t count = 0;
  double sum = 0;
};

// Collects every value.
class CollectingSink : public Unit {
 public:
  explicit CollectingSink(const std::string& name) : Unit(name, "test_sink") {
    add_input("in");
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override { values.push_back(io.in[0][0]); }
  std::uint64_t steady_firings() const override { return kSteadyForever; }
  std::vector<double> values;
};

}  // namespace streamsim::testing
