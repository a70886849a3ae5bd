// `reduce`: folds each group of `group` tokens into one output token. The firing that folds
// the group's last token also sends the result and lasts ii + reset cycles (the accumulator
// reset time of a hardware reducer).
#include <algorithm>
#include <limits>
#include <vector>

#include "sim/core/registry.h"
#include "sim/core/time_limits.h"
#include "sim/units/fold_ops.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "reduce";

class ReduceUnit : public Unit {
 public:
  ReduceUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        op_(parse_fold_op(p.get_string("op"))),
        width_(get_int32(p, "width")),
        group_(p.get_int("group")),
        reset_(p.get_int("reset")),
        init_(fold_init(op_, p.get_double("init"))),
        acc_(width_, init_) {
    add_input("in", fold_input_width(op_, width_));
    add_output("out", width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, group_ == 1 ? 1u : 0u, false};
  }

  void fire(FiringIO& io) override {
    fold_into(op_, acc_.data(), io.in[0], width_);
    if (++folded_ == group_) {
      std::copy(acc_.begin(), acc_.end(), io.out[0]);
      std::fill(acc_.begin(), acc_.end(), init_);
      folded_ = 0;
      ++groups_;
      firing_ii_ = ii() + reset_;
    } else {
      firing_ii_ = ii();
    }
    rule_.writes = folded_ == group_ - 1 ? 1u : 0u;
  }

  // Before the group's last token: firings that write nothing and last ii; the last writes and
  // lasts ii + reset (with group 1, every firing does).
  std::uint64_t steady_firings() const override {
    const bool last = folded_ == group_ - 1;
    if (firing_ii_ != ii() + (last ? reset_ : 0)) return 0;
    if (group_ == 1) return kSteadyForever;
    return last ? 1 : static_cast<std::uint64_t>(group_ - 1 - folded_);
  }

  Cycle max_firing_delay() const override { return ii() + reset_ + latency(); }

  std::string describe_state() const override {
    return "reduce: " + std::to_string(folded_) + " of " + std::to_string(group_) +
           " folded in group " + std::to_string(groups_);
  }

 private:
  FoldOp op_;
  int width_;
  std::int64_t group_, reset_;
  double init_;
  std::vector<double> acc_;
  std::int64_t folded_ = 0;
  std::uint64_t groups_ = 0;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Folds each group of `group` consecutive tokens element-wise with `op` (starting from "
      "`init`) "
      "and sends one token per group. Every firing reads one token; the firing that reads the "
      "group's last token also sends the result, and the next firing starts ii + reset cycles "
      "later.";
  info.inputs = {
      {"in", "the stream (width `width`; +1 for rescale_sum, +2 for rescale_weighted_sum)"}};
  info.outputs = {{"out", "one folded token per group (width `width`)"}};
  info.schema = with_timing({
      string_param("op", "sum", fold_op_names(),
                   "the fold: sum, max, min, prod, or rescale_sum (in (c, x): acc*c + x) and "
                   "rescale_weighted_sum (in (c, e, v): acc*c + e*v) for online softmax"),
      int_param("group", std::nullopt, 1, kNoMax, "tokens folded into each output"),
      width_param("width", "values per token (folded element-wise)"),
      int_param("reset", "0", 0, static_cast<double>(kMaxDelay),
                "extra cycles after each group's output (accumulator reset)"),
      double_param("init", "nan",
                   "start value of every group; nan (default) = the identity of op "
                   "(0 sum, 1 prod, -inf max, +inf min); may be infinite",
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::infinity()),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<ReduceUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
