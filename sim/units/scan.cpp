// `scan`: like reduce, but sends the running value after every input; the running value
// restarts from `init` every `group` inputs.
#include <algorithm>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/fold_ops.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "scan";

class ScanUnit : public Unit {
 public:
  ScanUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        op_(parse_fold_op(p.get_string("op"))),
        width_(get_int32(p, "width")),
        group_(p.get_int("group")),
        init_(fold_init(op_, p.get_double("init"))),
        acc_(width_, init_) {
    add_input("in", width_);
    add_output("out", width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, 1u, false};
  }

  void fire(FiringIO& io) override {
    fold_into(op_, acc_.data(), io.in[0], width_);
    std::copy(acc_.begin(), acc_.end(), io.out[0]);
    if (++folded_ == group_) {
      std::fill(acc_.begin(), acc_.end(), init_);
      folded_ = 0;
      ++groups_;
    }
  }

  std::string describe_state() const override {
    return "scan: " + std::to_string(folded_) + " of " + std::to_string(group_) + " folded in group " +
           std::to_string(groups_);
  }

 private:
  FoldOp op_;
  int width_;
  std::int64_t group_;
  double init_;
  std::vector<double> acc_;
  std::int64_t folded_ = 0;
  std::uint64_t groups_ = 0;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Running fold: every firing reads one token, folds it element-wise into the running value "
      "with `op` and sends the running value; after `group` inputs the running value restarts "
      "from `init`.";
  info.inputs = {{"in", "the stream (width `width`)"}};
  info.outputs = {{"out", "the running value after each input (width `width`)"}};
  info.schema = with_timing({
      string_param("op", "sum", fold_op_names(), "the fold: sum, max, min or prod"),
      int_param("group", std::nullopt, 1, kNoMax, "inputs after which the running value restarts"),
      width_param("width", "values per token (folded element-wise)"),
      double_param("init", "nan", "start value of every group; nan (default) = the identity of op"),
  });
  info.make = [](const std::string& name, const Params& p) { return std::make_unique<ScanUnit>(name, p); };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
