// `spatial_pe_feed`: the global buffer's port at one edge of the PE-level 2D array. For every
// tile (epoch e: chunk m1 = e / P1, query tile p1 = e % P1) it streams one operand vector,
// one value per cycle: Q[., p] into a row (p = p1 * side + index), or K[., m] or V[., m]
// into a column (m = m1 * side + index).
#include "graphs/spatial/pe_units.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::spatial {

namespace {

const char* kType = "spatial_pe_feed";

class PeFeed : public Unit {
 public:
  PeFeed(const std::string& name, const Params& p)
      : Unit(name, kType),
        operand_(p.get_string("operand")),
        index_(units::get_int32(p, "index")),
        side_(units::get_int32(p, "side")),
        length_(units::get_int32(p, "length")),
        P1_(units::get_int32(p, "P1")),
        total_(p.get_int("epochs") * length_) {
    if (index_ >= side_) units::param_error(name, kType, "index", "must be below side");
    add_output("out");
    rule_ = FiringRule{0, 1, false};
  }
  void fire(FiringIO& io) override {
    const std::int64_t tile = n_ / length_;
    const int i = static_cast<int>(n_ % length_);
    const int p1 = static_cast<int>(tile % P1_), m1 = static_cast<int>(tile / P1_);
    double v = 0;
    if (operand_ == "q")
      v = pe_q(p1 * side_ + index_, i);
    else if (operand_ == "k")
      v = pe_k(m1 * side_ + index_, i);
    else
      v = pe_v(m1 * side_ + index_, i);
    io.out[0][0] = v;
    rule_.done = ++n_ >= total_;
  }

 private:
  std::string operand_;
  int index_, side_, length_, P1_;
  std::int64_t total_, n_ = 0;
};

UnitTypeInfo make_info() {
  using units::int_param;
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Streams Q (into a row) or K or V (into a column) of the PE-level 2D array, one value "
      "per cycle, `length` values per tile, for `epochs` tiles (p1 = e % P1, m1 = e / P1).";
  info.outputs = {{"out", "the operand values"}};
  info.schema = ParamSchema({
      units::string_param("operand", std::nullopt, {"q", "k", "v"}, "which operand"),
      int_param("index", std::nullopt, 0, 4095, "the row (q) or column (k, v)"),
      int_param("side", std::nullopt, 1, 4096, "P0 (q) or M0 (k, v)"),
      int_param("length", std::nullopt, 1, 1 << 20, "values per tile (E or F)"),
      int_param("P1", "1", 1, 1 << 20, "query tiles per K/V chunk"),
      int_param("epochs", std::nullopt, 1, 1e12, "tiles"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<PeFeed>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::spatial
