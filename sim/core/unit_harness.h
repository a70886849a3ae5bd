#pragma once
// Runs a unit with no engine and no timing: queue tokens on its inputs, fire while its rule
// can be met, collect what it sends. Unit tests use this; so can users testing their own units.
#include <deque>
#include <memory>
#include <vector>

#include "sim/core/unit.h"

namespace streamsim {

class UnitHarness {
 public:
  explicit UnitHarness(std::unique_ptr<Unit> unit);
  Unit& unit() { return *unit_; }

  void push(int input_port, const std::vector<double>& token);
  void push_scalars(int input_port, const std::vector<double>& values);  // width-1 tokens

  // Fires as long as every input the rule reads has a queued token and the unit is not
  // done (outputs never block here), at most max_firings times. Returns the number of firings.
  std::size_t run(std::size_t max_firings = static_cast<std::size_t>(-1));

  // The tokens sent on `port`; a by-reference port's tokens as the values they referenced.
  const std::vector<std::vector<double>>& output(int port) const { return outputs_[port]; }
  std::vector<double> output_scalars(int port) const;  // first element of each token
  std::size_t pending(int input_port) const { return inputs_[input_port].size(); }
  // Timing of each firing, as reported by the unit (for units whose II/latency vary).
  const std::vector<Cycle>& firing_iis() const { return iis_; }

 private:
  std::unique_ptr<Unit> unit_;
  std::vector<std::deque<std::vector<double>>> inputs_;
  std::vector<std::vector<std::vector<double>>> outputs_;
  std::vector<Cycle> iis_;
};

}  // namespace streamsim
