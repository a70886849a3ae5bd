// `spatial_pe2d_flat`: one PE (row p, column m) of the 2D array running FLAT's 2D stages.
//
// QK, pass 1, per tile: E MAC firings (Q from the left, K from the top, both forwarded one
// hop per cycle, output stationary); the last one hands the score to the row's drain chain
// (spatial_pe_shift), which carries it to the 1D array for the softmax.
// AV, pass 3, per tile: A[m, p] arrives as a stationary operand through the row's load chain
// (taken with the first firing), then F MAC firings: V[f, m] from the top (forwarded down)
// times A, plus the partial sum from the left, to the right: a reduce-matmul whose row sums
// leave the last column for the buffer, which accumulates them over the key chunks.
// The two stages belong to different passes of the cascade, so the PE runs every QK tile,
// then every AV tile: nothing to interleave, and each MAC is one cycle.
#include <vector>

#include "graphs/spatial/pe_units.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::spatial {

namespace {

const char* kType = "spatial_pe2d_flat";

class Pe2dFlat : public PeUnit {
 public:
  Pe2dFlat(const std::string& name, const Params& p)
      : PeUnit(name, kType),
        E_(units::get_int32(p, "E")),
        F_(units::get_int32(p, "F")),
        tiles_(p.get_int("tiles")) {
    const int row = units::get_int32(p, "row"), col = units::get_int32(p, "col");
    const int rows = units::get_int32(p, "rows"), cols = units::get_int32(p, "cols");
    if (row >= rows) units::param_error(name, kType, "row", "must be below rows");
    if (col >= cols) units::param_error(name, kType, "col", "must be below cols");
    const bool right = col < cols - 1, down = row < rows - 1;
    in_a_ = in("a");
    in_b_ = in("b");
    in_x_ = in("x");
    in_v_ = in("v");
    in_nv_ = col > 0 ? in("nv") : -1;
    out_a_ = right ? out("a") : -1;
    out_b_ = down ? out("b") : -1;
    out_s_ = out("s");
    out_v_ = down ? out("v") : -1;
    out_nv_ = out("nv");
    set_rule();
  }

  void fire(FiringIO& io) override {
    if (qk()) {
      const double a = io.in[in_a_][0], b = io.in[in_b_][0];
      acc_ += a * b;
      send(io, out_a_, a);
      send(io, out_b_, b);
      if (k_ == E_ - 1) io.out[out_s_][0] = acc_, acc_ = 0;
      charge(kStageQk, 1);
    } else {
      if (k_ == 0) a_ = io.in[in_x_][0];
      const double v = io.in[in_v_][0];
      send(io, out_v_, v);
      io.out[out_nv_][0] = (in_nv_ >= 0 ? io.in[in_nv_][0] : 0.0) + a_ * v;
      charge(kStageAv, 1);
    }
    if (++k_ == (qk() ? E_ : F_)) k_ = 0, ++tile_;
    set_rule();
  }

  std::string describe_state() const override {
    return rule_.done ? "finished"
                      : std::string(qk() ? "QK" : "AV") + " tile " +
                            std::to_string(qk() ? tile_ : tile_ - tiles_) + ", firing " +
                            std::to_string(k_);
  }

 private:
  bool qk() const { return tile_ < tiles_; }

  void set_rule() {
    FiringRule r;
    auto rd = [&r](int port) {
      if (port >= 0) r.reads |= 1u << port;
    };
    auto wr = [&r](int port) {
      if (port >= 0) r.writes |= 1u << port;
    };
    if (tile_ >= 2 * tiles_) {
      r.done = true;
    } else if (qk()) {
      rd(in_a_), rd(in_b_), wr(out_a_), wr(out_b_);
      if (k_ == E_ - 1) wr(out_s_);
    } else {
      if (k_ == 0) rd(in_x_);
      rd(in_v_), rd(in_nv_), wr(out_v_), wr(out_nv_);
    }
    rule_ = r;
  }

  int E_, F_;
  std::int64_t tiles_;
  int in_a_, in_b_, in_x_, in_v_, in_nv_;
  int out_a_, out_b_, out_s_, out_v_, out_nv_;
  int k_ = 0;               // firing within the tile
  std::int64_t tile_ = 0;   // QK tiles, then AV tiles
  double acc_ = 0, a_ = 0;  // QK's accumulator; AV's stationary A
};

UnitTypeInfo make_info() {
  using units::int_param;
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "One PE of the PE-level 2D array under FLAT's mapping (graphs/spatial, docs/spatial.md): "
      "for every key chunk, QK (E MACs on Q from the left and K from the top; the score to the "
      "row's drain chain), then for every chunk AV (A from the row's load chain stays, F MACs "
      "with V from the top, partial sums passed right).";
  info.inputs = {{"a", "Q[e, p] from the left"},
                 {"b", "K[e, m] from above"},
                 {"x", "A[m, p] from the row's load chain"},
                 {"v", "V[f, m] from above"},
                 {"nv", "partial AV[f, p] from the left (col > 0)"}};
  info.outputs = {{"a", "Q forwarded right (col < cols-1)"},
                  {"b", "K forwarded down (row < rows-1)"},
                  {"s", "QK[m, p] to the row's drain chain"},
                  {"v", "V forwarded down (row < rows-1)"},
                  {"nv", "partial AV[f, p] to the right (the row's sums from the last column)"}};
  info.schema = ParamSchema({
      int_param("row", std::nullopt, 0, 4095, "the PE's row (query p0)"),
      int_param("col", std::nullopt, 0, 4095, "the PE's column (key m0)"),
      int_param("rows", std::nullopt, 1, 4096, "rows of the array (P0)"),
      int_param("cols", std::nullopt, 1, 4096, "columns of the array (M0)"),
      int_param("E", std::nullopt, 1, 1 << 20, "query/key size: MACs per score"),
      int_param("F", std::nullopt, 1, 1 << 20, "value size: AV firings per tile"),
      int_param("tiles", std::nullopt, 1, 1e12, "key chunks (M1) of the block"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<Pe2dFlat>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::spatial
