#pragma once
// A unit is an actor with an explicit firing rule: before every firing it states which input
// ports it will dequeue one token from and which output ports it will send one token to.
// Engines own all timing; a unit only computes values and its next rule. This keeps units
// engine-agnostic and testable with no engine at all (see sim/core/unit_harness.h).
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {

constexpr int kMaxPorts = 32;  // port masks are 32-bit

// A port of a unit. Every token on it has `width` doubles (1 = scalar, D = a D-wide vector).
// An output port `by_reference` sends each token as a pointer to its `width` doubles instead
// (send_reference), so that a wide row is never copied into the channel; the consumer still
// sees `width` doubles at io.in[p]. The referenced doubles must stay valid and unchanged for the
// whole run (as long as the unit lives), e.g. rows of a tensor a source generated and never
// rewrites: a token may be read many firings after it was sent, by a consumer far behind.
struct Port {
  std::string name;
  int width = 1;
  bool by_reference = false;
  // An output that forwards references: it is by reference exactly when input
  // `forwards_reference_of` is (RunSetup decides before each run, from the producer's port),
  // and then sends pointers it received on that input, which stay valid for the run too.
  int forwards_reference_of = -1;
};

// A by-reference token is the pointer's bits in the first 8 bytes of the slot (memcpy: no
// aliasing or floating-point conversion touches them); the rest of the slot is unused.
static_assert(sizeof(const double*) <= sizeof(double), "a token reference must fit in a double");
inline void send_reference(double* slot, const double* values) {
  std::memcpy(slot, &values, sizeof values);
}
inline const double* token_reference(const double* slot) {
  const double* values;
  std::memcpy(&values, slot, sizeof values);
  return values;
}

// What the unit needs for its next firing. Ports are dequeued and sent in ascending index
// order (this fixes dequeue and send times, see docs/timing-model.md).
struct FiringRule {
  std::uint32_t reads = 0;   // bit p set: dequeue one token from input port p
  std::uint32_t writes = 0;  // bit p set: send one token on output port p
  bool done = false;         // the unit will not fire again
};

// Token storage handed to fire(): in[p] points at the dequeued token of input p (valid only
// during fire; for a by-reference channel, at the referenced doubles), out[p] at the slot to
// fill for output p (by send_reference on a by-reference port). Only ports in the rule are set.
struct FiringIO {
  const double* in[kMaxPorts];
  double* out[kMaxPorts];
};

// Token storage for a batch of firings under one unchanging rule (Unit::fire_batch): firing
// b (from 0) reads input p's token at input(p, b) and writes output p's at output(p, b). Each
// port's tokens lie `stride` doubles apart; a by-reference input's slots hold pointers, which
// input() follows. Only the ports in the rule are set.
struct BatchIO {
  const double* in[kMaxPorts];
  double* out[kMaxPorts];
  std::uint32_t in_stride[kMaxPorts];
  std::uint32_t out_stride[kMaxPorts];
  std::uint32_t in_by_reference = 0;  // bit p: input p's slots hold token references

  const double* input(int p, std::uint64_t b) const {
    const double* slot = in[p] + b * in_stride[p];
    return (in_by_reference >> p) & 1u ? token_reference(slot) : slot;
  }
  double* output(int p, std::uint64_t b) const { return out[p] + b * out_stride[p]; }
};

class Unit {
 public:
  Unit(std::string name, std::string type) : name_(std::move(name)), type_(std::move(type)) {}
  virtual ~Unit() = default;
  Unit(const Unit&) = delete;
  Unit& operator=(const Unit&) = delete;

  // Performs one firing under rule(): read the `reads` inputs, write every `writes` output,
  // then set rule_ (and, if this firing differs from the default, firing_ii_/latency_) for
  // the next firing.
  virtual void fire(FiringIO& io) = 0;

  // Called by the engine when the run ends, in any state (finished, deadlocked, stopped).
  virtual void finish() {}

  // A promise that lets an engine run firings in batches: at least this many of the next
  // firings each have the current rule() (same reads, same writes, not done) and leave
  // firing_ii() and firing_latency() as they are now. 0, the default, promises nothing. The
  // fast engine's periodic replay then fires each unit many times in a row (fire_batch) on
  // staged tokens instead of checking every firing; a wrong promise makes a wrong run, which
  // tests/units/steady_firings_test.cpp checks for every unit that makes one.
  virtual std::uint64_t steady_firings() const { return 0; }
  // The promise of a unit whose rule and timing never change.
  static constexpr std::uint64_t kSteadyForever = ~std::uint64_t{0};

  // `count` firings in a row, all under the current rule (count <= steady_firings()): the same
  // as `count` calls of fire() on io.input(p, b) / io.output(p, b), b = 0..count-1. The
  // default does exactly that; units override it to keep their per-firing body inline.
  virtual void fire_batch(const BatchIO& io, std::uint64_t count);

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  const std::vector<Port>& inputs() const { return inputs_; }
  const std::vector<Port>& outputs() const { return outputs_; }
  int input_index(const std::string& port) const;   // -1 if absent
  int output_index(const std::string& port) const;  // -1 if absent

  const FiringRule& rule() const { return rule_; }
  // Timing of the firing that fire() just performed: the outputs are stamped
  // (time of the last dequeue) + latency, and the unit's next firing is II cycles later.
  Cycle firing_ii() const { return firing_ii_; }
  Cycle firing_latency() const { return firing_latency_; }
  Cycle ii() const { return ii_; }
  Cycle latency() const { return latency_; }
  // The largest firing_ii() + firing_latency() of any firing of this unit: what one firing
  // may add to a time, for the engines' bound on the largest time (sim/core/time_limits.h).
  // ii() + latency() unless the unit changes its timing per firing; such a unit says so here.
  virtual Cycle max_firing_delay() const { return ii_ + latency_; }

  // Before a run: whether forwarding output `output` (Port::forwards_reference_of) sends
  // references in this run.
  void resolve_forwarded_reference(int output, bool by_reference) {
    outputs_[static_cast<std::size_t>(output)].by_reference = by_reference;
    references_resolved();
  }

  // Short human-readable statement of the unit's state (used in deadlock reports),
  // e.g. "reduce group 3 of 16: 7 of 256 inputs folded".
  virtual std::string describe_state() const { return std::string(); }

  // How much of its work a unit that knows its total (a source) has done, for progress
  // reports: sets `done` and `total` (in the unit's own steps) and returns true; false if the
  // unit cannot tell.
  virtual bool work_progress(std::uint64_t& done, std::uint64_t& total) const {
    (void)done;
    (void)total;
    return false;
  }

 protected:
  Port& add_input(const std::string& name, int width = 1);
  // by_reference: see Port.
  Port& add_output(const std::string& name, int width = 1, bool by_reference = false);
  // Throws Error naming the unit if ii or latency is negative or above kMaxDelay.
  void set_timing(Cycle ii, Cycle latency);
  // Called when a forwarding output's by_reference has been decided for the run.
  virtual void references_resolved() {}

  FiringRule rule_;
  Cycle firing_ii_ = 1;
  Cycle firing_latency_ = 1;

 private:
  std::string name_, type_;
  std::vector<Port> inputs_, outputs_;
  Cycle ii_ = 1, latency_ = 1;
};

}  // namespace streamsim
