// `scan`: like reduce, but sends the running value after every input; the running value
// restarts from `init` every `group` inputs. Its extra op online_softmax keeps the running
// max m of scalar scores s and sends (c, e) = (exp(m_old - m_new), exp(s - m_new)), the
// correction and weight the reordered SDPA graph's rescaling reduces consume.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/fold_ops.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "scan";
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

std::vector<std::string> scan_op_names() {
  std::vector<std::string> n = fold_op_names();
  n.push_back("online_softmax");
  return n;
}

class ScanUnit : public Unit {
 public:
  ScanUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        softmax_(p.get_string("op") == "online_softmax"),
        op_(parse_fold_op(p.get_string("op"))),
        width_(get_int32(p, "width")),
        group_(p.get_int("group")),
        init_(softmax_ ? kNegInf : fold_init(op_, p.get_double("init"))),
        acc_(width_, init_) {
    if (softmax_ && width_ != 1)
      param_error(name, kType, "width",
                  "must be 1 for op online_softmax (scalar scores in, (c, e) out)");
    add_input("in", fold_input_width(op_, width_));
    add_output("out", softmax_ ? 2 : width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, 1u, false};
  }

  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always
  void fire(FiringIO& io) override {
    if (softmax_) {
      const double s = io.in[0][0], m_old = acc_[0];
      const double m = std::max(m_old, s);
      io.out[0][0] = std::exp(m_old - m);  // 0 for the first score of a group (m_old = -inf)
      io.out[0][1] = std::exp(s - m);
      acc_[0] = m;
    } else {
      fold_into(op_, acc_.data(), io.in[0], width_);
      std::copy(acc_.begin(), acc_.end(), io.out[0]);
    }
    if (++folded_ == group_) {
      std::fill(acc_.begin(), acc_.end(), init_);
      folded_ = 0;
      ++groups_;
    }
  }

  std::string describe_state() const override {
    return "scan: " + std::to_string(folded_) + " of " + std::to_string(group_) +
           " folded in group " + std::to_string(groups_);
  }

 private:
  bool softmax_;
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
      "from `init`. op online_softmax (width 1) keeps the running max m of the scores and sends "
      "(c, e) = (exp(m_old - m_new), exp(s - m_new)) per score (c = 0 for a group's first), for "
      "the rescale_sum / rescale_weighted_sum reduces of the reordered SDPA graph.";
  info.inputs = {
      {"in", "the stream (width `width`; +1 for rescale_sum, +2 for rescale_weighted_sum)"}};
  info.outputs = {
      {"out", "the running value after each input (width `width`; online_softmax: (c, e))"}};
  info.schema = with_timing({
      string_param("op", "sum", scan_op_names(),
                   "the fold: sum, max, min, prod, rescale_sum, rescale_weighted_sum (see reduce), "
                   "or online_softmax"),
      int_param("group", std::nullopt, 1, kNoMax, "inputs after which the running value restarts"),
      width_param("width", "values per token (folded element-wise)"),
      double_param("init", "nan",
                   "start value of every group; nan (default) = the identity of op "
                   "(ignored by online_softmax, which starts from -inf); may be infinite",
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::infinity()),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<ScanUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
