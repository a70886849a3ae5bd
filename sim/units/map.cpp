// `map`: an element-wise function of one input (unary ops) or two inputs (binary ops).
#include <algorithm>
#include <cmath>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "map";

enum class Op {
  Id,
  Neg,
  Abs,
  Exp,
  Log,
  Sqrt,
  Recip,
  Square,
  Relu,
  Scale,
  Offset,
  Add,
  Sub,
  Mul,
  Div,
  Max,
  Min
};

const std::vector<std::string>& unary_names() {
  static const std::vector<std::string> n = {"id",    "neg",    "abs",  "exp",   "log",   "sqrt",
                                             "recip", "square", "relu", "scale", "offset"};
  return n;
}
const std::vector<std::string>& binary_names() {
  static const std::vector<std::string> n = {"add", "sub", "mul", "div", "max", "min"};
  return n;
}

std::vector<std::string> all_names() {
  std::vector<std::string> n = unary_names();
  n.insert(n.end(), binary_names().begin(), binary_names().end());
  return n;
}

Op parse_op(const std::string& s) {
  std::vector<std::string> n = all_names();
  return static_cast<Op>(std::find(n.begin(), n.end(), s) - n.begin());
}

class MapUnit final : public Unit {
 public:
  MapUnit(const std::string& name, const Params& p)
      : Unit(name, kType), op_(parse_op(p.get_string("op"))), width_(get_int32(p, "width")) {
    factor_ = p.get_double("factor");
    constant_ = p.get_double("constant");
    b_scalar_ = p.get_bool("b_scalar");
    binary_ = op_ >= Op::Add;
    if (b_scalar_ && !binary_)
      param_error(name, kType, "b_scalar",
                  "applies to binary ops only (op is '" + p.get_string("op") + "')");
    if (binary_) {
      add_input("a", width_);
      add_input("b", b_scalar_ ? 1 : width_);
    } else {
      add_input("in", width_);
    }
    add_output("out", width_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{binary_ ? 3u : 1u, 1u, false};
  }

  void fire(FiringIO& io) override { apply(io.in[0], binary_ ? io.in[1] : nullptr, io.out[0]); }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t i = 0; i < count; ++i)
      apply(io.input(0, i), binary_ ? io.input(1, i) : nullptr, io.output(0, i));
  }
  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always

 private:
  void apply(const double* a, const double* b, double* out) {
    if (!binary_) {
      apply_unary(a, out);
      return;
    }
    if (b_scalar_) {
      const double s = b[0];
      binary(a, out, [s](int) { return s; });
    } else {
      binary(a, out, [b](int e) { return b[e]; });
    }
  }

  template <class F>
  void each(const double* in, double* out, F f) {
    for (int e = 0; e < width_; ++e) out[e] = f(in[e]);
  }

  void apply_unary(const double* in, double* out) {
    switch (op_) {
      case Op::Id:
        each(in, out, [](double x) { return x; });
        break;
      case Op::Neg:
        each(in, out, [](double x) { return -x; });
        break;
      case Op::Abs:
        each(in, out, [](double x) { return std::fabs(x); });
        break;
      case Op::Exp:
        each(in, out, [](double x) { return std::exp(x); });
        break;
      case Op::Log:
        each(in, out, [](double x) { return std::log(x); });
        break;
      case Op::Sqrt:
        each(in, out, [](double x) { return std::sqrt(x); });
        break;
      case Op::Recip:
        each(in, out, [](double x) { return 1.0 / x; });
        break;
      case Op::Square:
        each(in, out, [](double x) { return x * x; });
        break;
      case Op::Relu:
        each(in, out, [](double x) { return x > 0 ? x : 0.0; });
        break;
      case Op::Scale: {
        const double f = factor_;
        each(in, out, [f](double x) { return x * f; });
        break;
      }
      case Op::Offset: {
        const double c = constant_;
        each(in, out, [c](double x) { return x + c; });
        break;
      }
      default:
        break;
    }
  }

  // b(e) yields the right operand of element e.
  template <class B>
  void binary(const double* a, double* out, B b) {
    switch (op_) {
      case Op::Add:
        for (int e = 0; e < width_; ++e) out[e] = a[e] + b(e);
        break;
      case Op::Sub:
        for (int e = 0; e < width_; ++e) out[e] = a[e] - b(e);
        break;
      case Op::Mul:
        for (int e = 0; e < width_; ++e) out[e] = a[e] * b(e);
        break;
      case Op::Div:
        for (int e = 0; e < width_; ++e) out[e] = a[e] / b(e);
        break;
      case Op::Max:
        for (int e = 0; e < width_; ++e) out[e] = std::max(a[e], b(e));
        break;
      case Op::Min:
        for (int e = 0; e < width_; ++e) out[e] = std::min(a[e], b(e));
        break;
      default:
        break;
    }
  }

  Op op_;
  int width_;
  double factor_ = 1, constant_ = 0;
  bool binary_ = false, b_scalar_ = false;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Applies `op` element-wise. Unary ops (id, neg, abs, exp, log, sqrt, recip, square, relu, "
      "scale = x*factor, offset = x+constant) read `in`; binary ops (add, sub, mul, div, max, min) "
      "read one token from `a` and one from `b` per firing (b may be a scalar broadcast over a's "
      "width with b_scalar). One firing per token: out is stamped firing time + latency.";
  info.inputs = {{"in", "unary ops: the operand (width `width`)"},
                 {"a", "binary ops: the left operand (width `width`)"},
                 {"b", "binary ops: the right operand (width `width`, or 1 with b_scalar)"}};
  info.outputs = {{"out", "the result (width `width`)"}};
  info.schema = with_timing({
      string_param("op", std::nullopt, all_names(), "the function: a unary or a binary op"),
      width_param("width", "values per token (the op applies to each)"),
      double_param("factor", "1", "scale: the multiplier"),
      double_param("constant", "0", "offset: the addend"),
      bool_param("b_scalar", "false",
                 "binary ops: `b` is a scalar applied to every element of `a`"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<MapUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
