#include "sim/core/unit.h"

#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/time_limits.h"

namespace streamsim {

int Unit::input_index(const std::string& port) const {
  for (std::size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].name == port) return static_cast<int>(i);
  return -1;
}

int Unit::output_index(const std::string& port) const {
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (outputs_[i].name == port) return static_cast<int>(i);
  return -1;
}

Port& Unit::add_input(const std::string& name, int width) {
  if (inputs_.size() >= kMaxPorts) throw Error("unit '" + name_ + "': more than 32 input ports");
  if (width < 1) throw Error("unit '" + name_ + "': port '" + name + "' needs a width >= 1");
  inputs_.push_back(Port{name, width, false});
  return inputs_.back();
}

Port& Unit::add_output(const std::string& name, int width, bool by_reference) {
  if (outputs_.size() >= kMaxPorts) throw Error("unit '" + name_ + "': more than 32 output ports");
  if (width < 1) throw Error("unit '" + name_ + "': port '" + name + "' needs a width >= 1");
  outputs_.push_back(Port{name, width, by_reference});
  return outputs_.back();
}

void Unit::fire_batch(const BatchIO& io, std::uint64_t count) {
  int reads[kMaxPorts], writes[kMaxPorts];
  int nr = 0, nw = 0;
  for (int p = 0; p < kMaxPorts; ++p) {
    if ((rule_.reads >> p) & 1u) reads[nr++] = p;
    if ((rule_.writes >> p) & 1u) writes[nw++] = p;
  }
  FiringIO f;
  for (std::uint64_t b = 0; b < count; ++b) {
    for (int i = 0; i < nr; ++i) f.in[reads[i]] = io.input(reads[i], b);
    for (int i = 0; i < nw; ++i) f.out[writes[i]] = io.output(writes[i], b);
    fire(f);
  }
}

void Unit::set_timing(Cycle ii, Cycle latency) {
  for (auto [what, v] : {std::pair<const char*, Cycle>{"ii", ii}, {"latency", latency}})
    if (v < 0 || v > kMaxDelay)
      throw Error("unit '" + name_ + "' (type " + type_ + "): " + what + " " + std::to_string(v) +
                  " is out of range; it must be between 0 and " +
                  describe_limit(static_cast<std::uint64_t>(kMaxDelay)) + " cycles");
  ii_ = firing_ii_ = ii;
  latency_ = firing_latency_ = latency;
}

}  // namespace streamsim
