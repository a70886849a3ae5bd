// `dot`: the dot product of two D-wide vectors per firing (a D-lane multiplier and an
// adder tree, hence the derived latency 1 + ceil(log2 D)).
#include "sim/core/registry.h"
#include "sim/core/time_limits.h"
#include "sim/units/unit_params.h"
#include "sim/units/vector_kernels.h"

namespace streamsim::units {

namespace {

const char* kType = "dot";

std::int64_t tree_latency(int width) {
  std::int64_t depth = 0;
  while ((std::int64_t{1} << depth) < width) ++depth;  // ceil(log2 width)
  return 1 + depth;
}

class DotUnit final : public Unit {
 public:
  DotUnit(const std::string& name, const Params& p)
      : Unit(name, kType), width_(get_int32(p, "width")) {
    add_input("a", width_);
    add_input("b", width_);
    add_output("out", 1);
    std::int64_t latency = p.get_int("latency");
    set_timing(p.get_int("ii"), latency == 0 ? tree_latency(width_) : latency);
    rule_ = FiringRule{3u, 1u, false};
  }

  void fire(FiringIO& io) override { io.out[0][0] = dot_product(io.in[0], io.in[1], width_); }
  void fire_batch(const BatchIO& io, std::uint64_t count) override {
    for (std::uint64_t b = 0; b < count; ++b)
      io.output(0, b)[0] = dot_product(io.input(0, b), io.input(1, b), width_);
  }
  std::uint64_t steady_firings() const override { return kSteadyForever; }  // one rule, always

 private:
  int width_;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Dot product: every firing reads one D-wide vector from `a` and one from `b` and sends "
      "sum_e a[e]*b[e] (eight interleaved partial sums, e mod 8, added as a tree). Latency "
      "defaults to 1 + ceil(log2 D), the depth "
      "of a multiplier followed by an adder tree.";
  info.inputs = {{"a", "vectors of width `width`"}, {"b", "vectors of width `width`"}};
  info.outputs = {{"out", "the dot product (scalar)"}};
  info.schema =
      with_timing({width_param("width", "D, values per input vector")},
                  int_param("latency", "0", 0, static_cast<double>(kMaxDelay),
                            "cycles from firing to visibility; 0 = derive 1 + ceil(log2 width)"));
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<DotUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
