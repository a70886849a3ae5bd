// `zip`: concatenates one token of `a` and one of `b` into one token of width a+b.
#include <algorithm>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "zip";

class ZipUnit : public Unit {
 public:
  ZipUnit(const std::string& name, const Params& p)
      : Unit(name, kType), wa_(get_int32(p, "width_a")), wb_(get_int32(p, "width_b")) {
    if (wa_ + wb_ > kMaxWidth)
      param_error(name, kType, "width_b",
                  "makes the output wider than " + std::to_string(kMaxWidth));
    add_input("a", wa_);
    add_input("b", wb_);
    add_output("out", wa_ + wb_);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{3u, 1u, false};
  }

  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always
  void fire(FiringIO& io) override {
    std::copy(io.in[0], io.in[0] + wa_, io.out[0]);
    std::copy(io.in[1], io.in[1] + wb_, io.out[0] + wa_);
  }

 private:
  int wa_, wb_;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Pairs two streams token by token: each firing reads one token from `a` and one from `b` and "
      "sends their concatenation (a's values first).";
  info.inputs = {{"a", "first stream (width `width_a`)"}, {"b", "second stream (width `width_b`)"}};
  info.outputs = {{"out", "concatenation (width `width_a` + `width_b`)"}};
  info.schema = with_timing({
      width_param("width_a", "values per token of `a`"),
      width_param("width_b", "values per token of `b`"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<ZipUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
