// `shift`: delays a stream by one token inside groups. Per input token it sends the previous
// input of the same group, and `init` for a group's first. Fed with the iterates T[v+1] of a
// recurrence (a scan's output) it yields T[v] at the same step, the "value before this
// iteration" that correction factors such as exp(RM[m1] - RM[m1+1]) need. One firing per
// token; it holds one token, so its memory does not grow with the stream.
#include <algorithm>
#include <limits>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "shift";

class ShiftUnit : public Unit {
 public:
  ShiftUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        width_(get_int32(p, "width")),
        group_(p.get_int("group")),
        init_(p.get_double("init")),
        held_(width_, init_) {
    add_input("in", width_);
    add_output("out", width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, 1u, false};
  }

  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always
  void fire(FiringIO& io) override {
    std::copy(held_.begin(), held_.end(), io.out[0]);
    if (++position_ == group_) {
      // The group's last token has no successor inside the group: drop it, restart.
      std::fill(held_.begin(), held_.end(), init_);
      position_ = 0;
      ++groups_;
    } else {
      std::copy(io.in[0], io.in[0] + width_, held_.begin());
    }
  }

  std::string describe_state() const override {
    return "shift: " + std::to_string(position_) + " of " + std::to_string(group_) +
           " tokens of group " + std::to_string(groups_);
  }

 private:
  int width_;
  std::int64_t group_;
  double init_;
  std::vector<double> held_;
  std::int64_t position_ = 0;
  std::uint64_t groups_ = 0;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Delays the stream by one token inside groups of `group`: per input it sends the previous "
      "input of the group (`init` for the group's first) and drops each group's last input. From a "
      "recurrence's iterates T[v+1] it gives T[v] (the value before the iteration).";
  info.inputs = {{"in", "the stream (width `width`)"}};
  info.outputs = {{"out", "the previous token of the group, `init` first (width `width`)"}};
  info.schema = with_timing({
      int_param("group", std::nullopt, 1, kNoMax,
                "tokens per group (iterations of the recurrence)"),
      width_param("width", "values per token"),
      double_param(
          "init", "0",
          "value sent for the first token of every group (the recurrence's T[0]); may be infinite",
          -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<ShiftUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
