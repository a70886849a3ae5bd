// `pack`: gathers `width` consecutive scalars into one width-wide token. Every firing reads
// one scalar; every width-th firing also writes the vector.
#include <algorithm>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "pack";

class PackUnit : public Unit {
 public:
  PackUnit(const std::string& name, const Params& p)
      : Unit(name, kType), width_(get_int32(p, "width")), buffer_(width_) {
    add_input("in", 1);
    add_output("out", width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, width_ == 1 ? 1u : 0u, false};
  }

  // The firings before a vector's last value write nothing; the last writes (width 1: all do).
  std::uint64_t steady_firings() const override {
    if (width_ == 1) return kSteadyForever;
    return filled_ < width_ - 1 ? static_cast<std::uint64_t>(width_ - 1 - filled_) : 1;
  }
  void fire(FiringIO& io) override {
    buffer_[filled_++] = io.in[0][0];
    if (filled_ == width_) {
      std::copy(buffer_.begin(), buffer_.end(), io.out[0]);
      filled_ = 0;
      ++packed_;
    }
    rule_.writes = filled_ == width_ - 1 ? 1u : 0u;
  }

  std::string describe_state() const override {
    return "pack: " + std::to_string(filled_) + " of " + std::to_string(width_) +
           " values of vector " + std::to_string(packed_);
  }

 private:
  int width_;
  std::vector<double> buffer_;
  int filled_ = 0;
  std::uint64_t packed_ = 0;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Groups `width` consecutive scalars into one vector token: every firing reads one scalar; "
      "the firing that reads the width-th scalar also sends the vector.";
  info.inputs = {{"in", "scalars (width 1)"}};
  info.outputs = {{"out", "vectors of `width` consecutive input values"}};
  info.schema = with_timing({width_param("width", "scalars per output vector")});
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<PackUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
