// `replay`: holds a group of tokens and sends the whole group `count` times. The first copy
// leaves as the group arrives (read and send in one firing); the other count-1 copies are
// sent from the held group without reading. It models a tensor kept on chip and re-read for
// every iteration of an outer rank it lacks: linear attention's E x F state KV[e,f] is built
// once and read again for every query p. Memory: `group` tokens.
#include <algorithm>
#include <vector>

#include "sim/core/memory_limit.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "replay";

class ReplayUnit : public Unit {
 public:
  ReplayUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        width_(get_int32(p, "width")),
        group_(p.get_int("group")),
        count_(p.get_int("count")),
        held_(held_size(name, group_, width_)) {
    add_input("in", width_);
    add_output("out", width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, 1u, false};
  }

  // group x width doubles, checked against the memory limit before they are allocated.
  static std::size_t held_size(const std::string& name, std::int64_t group, int width) {
    const auto values = static_cast<std::uint64_t>(group) * static_cast<std::uint64_t>(width);
    check_allocation(values * sizeof(double),
                     unit_what(name, kType) + ": the held group of group x width = " +
                         std::to_string(group) + " x " + std::to_string(width) + " values");
    return static_cast<std::size_t>(values);
  }

  void fire(FiringIO& io) override {
    double* slot = held_.data() + position_ * width_;
    if (copy_ == 0) std::copy(io.in[0], io.in[0] + width_, slot);
    std::copy(slot, slot + width_, io.out[0]);
    if (++position_ == group_) {
      position_ = 0;
      if (++copy_ == count_) copy_ = 0;
    }
    rule_.reads = copy_ == 0 ? 1u : 0u;
  }

  std::string describe_state() const override {
    return "replay: token " + std::to_string(position_) + " of " + std::to_string(group_) + ", copy " +
           std::to_string(copy_ + 1) + " of " + std::to_string(count_);
  }

 private:
  int width_;
  std::int64_t group_, count_;
  std::vector<double> held_;
  std::int64_t position_ = 0, copy_ = 0;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Holds each group of `group` tokens and sends the group `count` times: the first copy as it "
      "arrives (one read and one send per firing), the others from the held tokens (sends only). "
      "A tensor kept on chip and re-read for every iteration of an outer rank; memory = group tokens.";
  info.inputs = {{"in", "the stream (width `width`)"}};
  info.outputs = {{"out", "each group `count` times in a row (width `width`)"}};
  info.schema = with_timing({
      int_param("group", std::nullopt, 1, 1e9, "tokens held and replayed together"),
      int_param("count", std::nullopt, 1, kNoMax, "copies of each group sent"),
      width_param("width", "values per token"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<ReplayUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
