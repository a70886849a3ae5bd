// `spatial_pe_shift`: one cell of a row's shift register beside the PE-level 2D array, used
// by FLAT's mapping (pe_flat.h), whose 2D array exchanges whole tiles with the buffer and the
// 1D array. The cells are separate registers, not the PEs, because a PE busy with its MACs
// cannot also spend a cycle per value it passes on: output-stationary arrays drain (and load
// stationary operands) through a register chain of their own, overlapped with compute.
//   drain: per tile, cell (p, m) shifts its PE's result right, then the m results that reach
//     it from the left; the last column's cell hands the row to the 1D array, m = C-1 first.
//   load: per tile, the values enter cell (p, 0) from the 1D array, m = C-1 first; cell m
//     shifts C-1-m of them right and hands the last one to its PE (a stationary operand).
// One value per cell per cycle, as every hop of the array (docs/timing-model.md).
// The chains close the cycle 2D -> 1D -> 2D, so the 1D -> load edge starts with one priming
// token (as FuseMax's RM edge does) that the first load cell discards in a zero-time firing.
#include "graphs/spatial/pe_units.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::spatial {

namespace {

const char* kType = "spatial_pe_shift";

class PeShift : public PeUnit {
 public:
  PeShift(const std::string& name, const Params& p)
      : PeUnit(name, kType),
        drain_(p.get_string("mode") == "drain"),
        col_(units::get_int32(p, "col")),
        cols_(units::get_int32(p, "cols")),
        tiles_(p.get_int("tiles")),
        primed_(p.get_bool("primed")) {
    if (col_ >= cols_) units::param_error(name, kType, "col", "must be below cols");
    const bool last = col_ == cols_ - 1;
    if (drain_) {
      own_ = in("own");
      left_ = col_ > 0 ? in("left") : -1;
      right_ = out("right");
    } else {
      left_ = in("left");
      right_ = last ? -1 : out("right");
      own_ = out("pe");
    }
    set_rule();
  }

  void fire(FiringIO& io) override {
    if (primed_) {  // the back edge's initial token: discarded, no time
      primed_ = false;
      firing_ii_ = 0;
      set_rule();
      return;
    }
    firing_ii_ = 1;
    if (drain_) {
      io.out[right_][0] = io.in[pos_ == 0 ? own_ : left_][0];
    } else {
      io.out[pos_ < per_tile() - 1 ? right_ : own_][0] = io.in[left_][0];
    }
    if (++pos_ == per_tile()) pos_ = 0, ++tile_;
    set_rule();
  }

  std::string describe_state() const override {
    return rule_.done ? "finished"
                      : "tile " + std::to_string(tile_) + ", value " + std::to_string(pos_);
  }

 private:
  // Values through this cell per tile: its own plus those from the left (drain), or those
  // for itself and the cells to its right (load).
  int per_tile() const { return drain_ ? col_ + 1 : cols_ - col_; }

  void set_rule() {
    FiringRule r;
    if (primed_) {
      r.reads = 1u << left_;
    } else if (tile_ >= tiles_) {
      r.done = true;
    } else if (drain_) {
      r.reads = 1u << (pos_ == 0 ? own_ : left_);
      r.writes = 1u << right_;
    } else {
      r.reads = 1u << left_;
      r.writes = 1u << (pos_ < per_tile() - 1 ? right_ : own_);
    }
    rule_ = r;
  }

  bool drain_;
  int col_, cols_;
  std::int64_t tiles_;
  bool primed_;
  int own_ = -1, left_ = -1, right_ = -1;
  int pos_ = 0;
  std::int64_t tile_ = 0;
};

UnitTypeInfo make_info() {
  using units::int_param;
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "One register of a row's shift chain beside the PE-level 2D array (graphs/spatial, FLAT's "
      "mapping): `drain` shifts each PE's result and those from its left to the row's end, "
      "`load` shifts a tile's stationary operands in from the left and hands one to its PE. One "
      "value per cycle.";
  info.inputs = {{"own", "drain: the PE's result"},
                 {"left", "the previous cell (load: the 1D array at col 0)"}};
  info.outputs = {{"right", "the next cell (drain: the 1D array at the last col)"},
                  {"pe", "load: the PE's stationary operand"}};
  info.schema = ParamSchema({
      units::string_param("mode", std::nullopt, {"drain", "load"}, "direction of the chain"),
      int_param("col", std::nullopt, 0, 4095, "the cell's column"),
      int_param("cols", std::nullopt, 1, 4096, "columns of the array (M0)"),
      int_param("tiles", std::nullopt, 1, 1e12, "tiles shifted through"),
      units::bool_param("primed", "false",
                        "`left` starts with a priming token to discard (closes a cycle)"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<PeShift>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::spatial
