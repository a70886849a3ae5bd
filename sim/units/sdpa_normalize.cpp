// sdpa_normalize: the final division of the reordered SDPA graph. Per query row it reads the
// numerator o (a D-vector) and the denominator r and emits o[f] / r: one division per output
// element (N*D per head instead of the naive graph's N*N). Width scalar emits the D quotients
// one per firing (a flatmap); width vector emits them as one D-wide token.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/sdpa_schema.h"

namespace streamsim::sdpa {
namespace {

class SdpaNormalize : public Unit {
 public:
  SdpaNormalize(const std::string& name, const Params& p)
      : Unit(name, "sdpa_normalize"),
        d_(static_cast<int>(p.get_int("D"))),
        vector_(p.get_string("width") == "vector"),
        row_(static_cast<std::size_t>(d_), 0.0) {
    add_input("o", d_);
    add_input("r", 1);
    add_output("out", vector_ ? d_ : 1);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{3, 1, false};
  }

  void fire(FiringIO& io) override {
    if (vector_) {
      const double r = io.in[1][0];
      for (int f = 0; f < d_; ++f) io.out[0][f] = io.in[0][f] / r;
      return;
    }
    if (f_ == 0) {
      std::copy(io.in[0], io.in[0] + d_, row_.begin());
      r_ = io.in[1][0];
    }
    io.out[0][0] = row_[f_] / r_;
    f_ = f_ + 1 == d_ ? 0 : f_ + 1;
    rule_.reads = f_ == 0 ? 3u : 0u;
  }

  std::string describe_state() const override {
    return "sdpa_normalize: element " + std::to_string(f_) + " of " + std::to_string(d_);
  }

 private:
  int d_;
  bool vector_;
  std::vector<double> row_;
  double r_ = 1;
  int f_ = 0;
};

UnitTypeInfo info() {
  UnitTypeInfo t;
  t.type = "sdpa_normalize";
  t.doc =
      "Divides each numerator row o (width D) by its denominator r: emits o[f]/r, D scalars "
      "one per firing (width scalar) or one D-wide token (width vector).";
  t.inputs = {{"o", "numerator rows (width D)"}, {"r", "denominators (width 1)"}};
  t.outputs = {{"out", "o/r: width 1 (scalar) or D (vector)"}};
  t.schema = with_timing({
      int_spec("D", std::nullopt, 1, 1 << 20, "row width"),
      string_spec("width", "vector", {"vector", "scalar"}, "emit one D-wide token or D scalars"),
  });
  t.make = [](const std::string& name, const Params& p) -> std::unique_ptr<Unit> {
    return std::make_unique<SdpaNormalize>(name, p);
  };
  return t;
}

STREAMSIM_REGISTER_UNIT(info());

}  // namespace
}  // namespace streamsim::sdpa
