// `flatmap` (and its shorthand `unpack`): turns one vector token into a sequence of scalars,
// one scalar per firing. The first firing of a token reads it and sends its first scalar;
// the remaining firings only send (II cycles apart), from the copy kept here.
#include <algorithm>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

enum class FlatOp { Unpack, DivLast, MulLast };

class FlatmapUnit : public Unit {
 public:
  FlatmapUnit(const std::string& name, const std::string& type, const std::string& op,
              const Params& p)
      : Unit(name, type), width_(get_int32(p, "width")), held_(width_) {
    op_ = op == "unpack" ? FlatOp::Unpack : op == "div_last" ? FlatOp::DivLast : FlatOp::MulLast;
    emits_ = op_ == FlatOp::Unpack ? width_ : width_ - 1;
    if (emits_ < 1)
      param_error(name, type, "width",
                  "must be >= 2 for op " + op + " (the last value is the divisor/factor)");
    add_input("in", width_);
    add_output("out", 1);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{1u, 1u, false};
  }

  // After a token's first firing (which reads), the rest of its emits read nothing.
  std::uint64_t steady_firings() const override {
    if (emits_ == 1) return kSteadyForever;
    return next_ == 0 ? 1 : static_cast<std::uint64_t>(emits_ - next_);
  }
  void fire(FiringIO& io) override {
    if (rule_.reads) {
      std::copy(io.in[0], io.in[0] + width_, held_.begin());
      ++tokens_;
    }
    const double x = held_[next_];
    switch (op_) {
      case FlatOp::Unpack:
        io.out[0][0] = x;
        break;
      case FlatOp::DivLast:
        io.out[0][0] = x / held_[width_ - 1];
        break;
      case FlatOp::MulLast:
        io.out[0][0] = x * held_[width_ - 1];
        break;
    }
    if (++next_ == emits_) next_ = 0;
    rule_.reads = next_ == 0 ? 1u : 0u;
  }

  std::string describe_state() const override {
    if (next_ == 0) return type() + ": waiting for input token " + std::to_string(tokens_);
    return type() + ": sent " + std::to_string(next_) + " of " + std::to_string(emits_) +
           " values of token " + std::to_string(tokens_ - 1);
  }

 private:
  FlatOp op_;
  int width_, emits_;
  std::vector<double> held_;
  int next_ = 0;
  std::uint64_t tokens_ = 0;
};

const char* kFlatDoc =
    "Turns each input vector x of width w into scalars, one per firing (ii cycles apart): the "
    "first firing reads x and sends the first scalar, the others only send. op unpack sends "
    "x[0..w-1]; div_last sends x[i]/x[w-1] for i < w-1; mul_last sends x[i]*x[w-1] for i < w-1 "
    "(e.g. zip(o, r) -> div_last = o/r).";

UnitTypeInfo make_flatmap_info() {
  UnitTypeInfo info;
  info.type = "flatmap";
  info.doc = kFlatDoc;
  info.inputs = {{"in", "vectors of width `width`"}};
  info.outputs = {{"out", "scalars: w per input (unpack) or w-1 (div_last, mul_last)"}};
  info.schema = with_timing({
      string_param("op", "unpack", {"unpack", "div_last", "mul_last"},
                   "what each input vector becomes"),
      width_param("width", "values per input vector (>= 2 for div_last and mul_last)"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<FlatmapUnit>(name, "flatmap", p.get_string("op"), p);
  };
  return info;
}

UnitTypeInfo make_unpack_info() {
  UnitTypeInfo info;
  info.type = "unpack";
  info.doc =
      "Shorthand for flatmap with op unpack: sends the `width` values of each input vector as "
      "scalars, "
      "one per firing (the first firing also reads the vector).";
  info.inputs = {{"in", "vectors of width `width`"}};
  info.outputs = {{"out", "scalars, `width` per input vector"}};
  info.schema = with_timing({width_param("width", "values per input vector")});
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<FlatmapUnit>(name, "unpack", "unpack", p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_flatmap_info());
STREAMSIM_REGISTER_UNIT(make_unpack_info());

}  // namespace

}  // namespace streamsim::units
