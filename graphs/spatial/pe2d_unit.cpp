// `spatial_pe2d`: one PE (row p, column m) of the 2D array running FuseMax's 2D stages.
//
// BQK+LM of tile g: E MAC firings (Q from the left, K from the top, both forwarded one hop
// per cycle, output stationary), then one max with the partial LM from the left, passed to
// the right; the last column hands LM[p] to the 1D array.
// SLN+SLD+SLNV of tile g - sl_skew (the mapping's software pipelining): one SLN firing
// (RM[p] arrives from the left, is forwarded, and exp(score - RM) costs `exp_cycles`), one
// SLD firing (partial row sum from the left, plus SLN, to the right), then F SLNV firings
// (V[f, m] from the top, forwarded down; partial sum from the left plus SLN * V to the
// right): a reduce-matmul whose row sums leave the last column for the 1D array.
// With `interleave` the PE alternates the two stages firing by firing, as FuseMax's binding
// does; the scores of the tiles in between wait in the register file.
// With `array_control` (no interleaving) the array switches Einsums as a whole: the last
// firing before a switch also passes a done token (AND-reduced along each row to the last
// column, then down it: it leaves PE (R-1, C-1) once every PE is done, and returns to
// PE (0, 0) over one back edge), and the first firing after a switch waits for the go token
// (from PE (0, 0) down column 0, then along each row). Both travel in step with the
// operands' wavefront, so they add no cycle of their own: what they add is the drain,
// (R-1)+(C-1) cycles per switch, the tile level's no-interleave charge.
#include <deque>
#include <optional>
#include <vector>

#include "graphs/spatial/pe_units.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::spatial {

namespace {

const char* kType = "spatial_pe2d";

enum class Op : unsigned char { Prime, Mac, Lm, Sln, Sld, Slnv };

class Pe2d : public PeUnit {
 public:
  Pe2d(const std::string& name, const Params& p)
      : PeUnit(name, kType),
        E_(units::get_int32(p, "E")),
        F_(units::get_int32(p, "F")),
        epochs_(p.get_int("epochs")),
        sl_skew_(p.get_int("sl_skew")),
        exp_cycles_(p.get_int("exp_cycles")),
        interleave_(p.get_bool("interleave")),
        control_(p.get_bool("array_control")) {
    const int row = units::get_int32(p, "row"), col = units::get_int32(p, "col");
    const int rows = units::get_int32(p, "rows"), cols = units::get_int32(p, "cols");
    if (row >= rows) units::param_error(name, kType, "row", "must be below rows");
    if (col >= cols) units::param_error(name, kType, "col", "must be below cols");
    if (control_ && interleave_)
      units::param_error(name, kType, "array_control",
                         "needs interleave: false (an interleaving PE never switches as a whole)");
    const bool left = col > 0, right = col < cols - 1, down = row < rows - 1;
    in_a_ = in("a");
    in_b_ = in("b");
    in_r_ = left ? in("r") : -1;
    in_rm_ = in("rm");
    in_sd_ = left ? in("sd") : -1;
    in_v_ = in("v");
    in_nv_ = left ? in("nv") : -1;
    out_a_ = right ? out("a") : -1;
    out_b_ = down ? out("b") : -1;
    out_r_ = out("r");
    out_rm_ = right ? out("rm") : -1;
    out_sd_ = out("sd");
    out_v_ = down ? out("v") : -1;
    out_nv_ = out("nv");
    if (control_) {
      const bool last_col = col == cols - 1;
      in_dl_ = left ? in("dl") : -1;
      in_du_ = last_col && row > 0 ? in("du") : -1;
      in_go_ = in("go");
      out_dn_ = out("dn");
      out_go_ = right ? out("go") : -1;
      out_gd_ = col == 0 && down ? out("gd") : -1;
    }
    if (p.get_bool("primed_rm"))
      program_.push_back(Op::Prime);
    else
      next_step();
    set_rule();
  }

  void fire(FiringIO& io) override {
    const Op op = program_[pos_];
    for (int port : {out_dn_, out_go_, out_gd_})  // control tokens carry no value
      if (port >= 0 && (rule_.writes >> port & 1u)) io.out[port][0] = 0.0;
    switch (op) {
      case Op::Prime:  // the back edge's initial token (RM[0] = -inf): discarded, no time
        firing_ii_ = 0;
        firing_latency_ = 1;
        break;
      case Op::Mac: {
        const double a = io.in[in_a_][0], b = io.in[in_b_][0];
        acc_ += a * b;
        send(io, out_a_, a);
        send(io, out_b_, b);
        charge(kStageBqk, 1);
        break;
      }
      case Op::Lm:
        io.out[out_r_][0] = in_r_ >= 0 ? std::max(io.in[in_r_][0], acc_) : acc_;
        scores_.push_back(acc_);
        acc_ = 0;
        charge(kStageBqk, 1);
        break;
      case Op::Sln: {
        const double rm = io.in[in_rm_][0];
        send(io, out_rm_, rm);
        sln_ = std::exp(scores_.front() - rm);
        scores_.pop_front();
        charge(kStageSln, exp_cycles_);
        break;
      }
      case Op::Sld:
        io.out[out_sd_][0] = (in_sd_ >= 0 ? io.in[in_sd_][0] : 0.0) + sln_;
        charge(kStageSln, 1);
        break;
      case Op::Slnv: {
        const double v = io.in[in_v_][0];
        send(io, out_v_, v);
        io.out[out_nv_][0] = (in_nv_ >= 0 ? io.in[in_nv_][0] : 0.0) + sln_ * v;
        charge(kStageSln, 1);
        break;
      }
    }
    if (++pos_ == program_.size()) next_step();
    set_rule();
  }

  std::string describe_state() const override {
    return rule_.done ? "finished"
                      : "step " + std::to_string(step_ - 1) + ", firing " + std::to_string(pos_);
  }

 private:
  static bool is_bqk(Op op) { return op == Op::Mac || op == Op::Lm; }
  // Whether unit step g starts with BQK+LM (true), SLN+SLD+SLNV (false); none: nullopt.
  std::optional<bool> step_starts_with_bqk(std::int64_t g) const {
    if (g < epochs_) return true;
    if (g < epochs_ + sl_skew_) return false;
    return std::nullopt;
  }

  // Marks the switches of the step's program between the two Einsums (array_control): the
  // first firing of each run waits for go, the last one before another run passes done.
  void mark_switches() {
    control_at_.assign(program_.size(), 0);
    if (!control_) return;
    for (std::size_t i = 0; i < program_.size(); ++i) {
      const bool bqk = is_bqk(program_[i]);
      const bool starts = i > 0 ? is_bqk(program_[i - 1]) != bqk : last_bqk_ != bqk;
      if (starts) control_at_[i] |= kWaitGo;
      const auto next = i + 1 < program_.size() ? std::optional<bool>(is_bqk(program_[i + 1]))
                                                : step_starts_with_bqk(step_);
      if (next && *next != bqk) control_at_[i] |= kSendDone;
    }
    if (!program_.empty()) last_bqk_ = is_bqk(program_.back());
  }

  // The firings of unit step g: BQK+LM of tile g and SLN+SLD+SLNV of tile g - sl_skew.
  void next_step() {
    fill_step();
    mark_switches();
  }
  void fill_step() {
    program_.clear();
    pos_ = 0;
    while (program_.empty() && step_ < epochs_ + sl_skew_) {
      std::vector<Op> a, b;
      if (step_ < epochs_) {
        a.assign(static_cast<std::size_t>(E_), Op::Mac);
        a.push_back(Op::Lm);
      }
      if (step_ >= sl_skew_) {
        b = {Op::Sln, Op::Sld};
        b.insert(b.end(), static_cast<std::size_t>(F_), Op::Slnv);
      }
      ++step_;
      if (!interleave_) {
        program_ = a;
        program_.insert(program_.end(), b.begin(), b.end());
        continue;
      }
      for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i < a.size()) program_.push_back(a[i]);
        if (i < b.size()) program_.push_back(b[i]);
      }
    }
  }

  void set_rule() {
    FiringRule r;
    auto rd = [&r](int port) {
      if (port >= 0) r.reads |= 1u << port;
    };
    auto wr = [&r](int port) {
      if (port >= 0) r.writes |= 1u << port;
    };
    if (pos_ >= program_.size()) {
      r.done = true;
    } else if (program_[pos_] != Op::Prime) {
      if (control_at_[pos_] & kWaitGo) rd(in_go_), wr(out_go_), wr(out_gd_);
      if (control_at_[pos_] & kSendDone) rd(in_dl_), rd(in_du_), wr(out_dn_);
    }
    if (pos_ < program_.size()) {
      switch (program_[pos_]) {
        case Op::Prime:
          rd(in_rm_);
          break;
        case Op::Mac:
          rd(in_a_), rd(in_b_), wr(out_a_), wr(out_b_);
          break;
        case Op::Lm:
          rd(in_r_), wr(out_r_);
          break;
        case Op::Sln:
          rd(in_rm_), wr(out_rm_);
          break;
        case Op::Sld:
          rd(in_sd_), wr(out_sd_);
          break;
        case Op::Slnv:
          rd(in_v_), rd(in_nv_), wr(out_v_), wr(out_nv_);
          break;
      }
    }
    rule_ = r;
  }

  int E_, F_;
  std::int64_t epochs_, sl_skew_;
  Cycle exp_cycles_;
  bool interleave_, control_;
  int in_dl_ = -1, in_du_ = -1, in_go_ = -1, out_dn_ = -1, out_go_ = -1, out_gd_ = -1;
  enum : unsigned char { kWaitGo = 1, kSendDone = 2 };
  std::vector<unsigned char> control_at_;  // per firing of program_: kWaitGo | kSendDone
  std::optional<bool> last_bqk_;           // the Einsum of the previous step's last firing
  int in_a_, in_b_, in_r_, in_rm_, in_sd_, in_v_, in_nv_;
  int out_a_, out_b_, out_r_, out_rm_, out_sd_, out_v_, out_nv_;
  std::vector<Op> program_;
  std::size_t pos_ = 0;
  std::int64_t step_ = 0;
  double acc_ = 0, sln_ = 0;
  std::deque<double> scores_;  // BQK of the tiles between this PE's BQK and SLN (registers)
};

UnitTypeInfo make_info() {
  using units::bool_param;
  using units::int_param;
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "One PE of the PE-level 2D array (graphs/spatial, docs/spatial.md): per unit step g, "
      "BQK+LM of tile g (E MACs on Q from the left and K from the top, then a max with the "
      "left partial) and SLN+SLD+SLNV of tile g - sl_skew (exp of its score minus RM, a row-sum "
      "step, F reduce-MACs with V from the top), alternated firing by firing with interleave.";
  info.inputs = {{"a", "Q[e, p] from the left"},
                 {"b", "K[e, m] from above"},
                 {"r", "partial LM from the left (col > 0)"},
                 {"rm", "RM[p] from the left, or from the 1D array at col 0"},
                 {"sd", "partial SLD from the left (col > 0)"},
                 {"v", "V[f, m] from above"},
                 {"nv", "partial SLNV[f, p] from the left (col > 0)"},
                 {"dl", "array_control: done token from the left (col > 0)"},
                 {"du", "array_control: done token from above (last column, row > 0)"},
                 {"go",
                  "array_control: go token from the left, from above (col 0), or from "
                  "PE (R-1, C-1)'s done (PE (0, 0))"}};
  info.outputs = {{"a", "Q forwarded right (col < cols-1)"},
                  {"b", "K forwarded down (row < rows-1)"},
                  {"r", "partial LM to the right (LM[p] to the 1D array from the last column)"},
                  {"rm", "RM forwarded right (col < cols-1)"},
                  {"sd", "partial SLD to the right"},
                  {"v", "V forwarded down (row < rows-1)"},
                  {"nv", "partial SLNV to the right"},
                  {"dn",
                   "array_control: done to the right, down (last column), or back to "
                   "PE (0, 0) as its go (PE (R-1, C-1))"},
                  {"go", "array_control: go forwarded right (col < cols-1)"},
                  {"gd", "array_control: go forwarded down (col 0, row < rows-1)"}};
  info.schema = ParamSchema({
      int_param("row", std::nullopt, 0, 4095, "the PE's row (query p0)"),
      int_param("col", std::nullopt, 0, 4095, "the PE's column (key m0)"),
      int_param("rows", std::nullopt, 1, 4096, "rows of the array (P0)"),
      int_param("cols", std::nullopt, 1, 4096, "columns of the array (M0)"),
      int_param("E", std::nullopt, 1, 1 << 20, "query/key size: MACs per score"),
      int_param("F", std::nullopt, 1, 1 << 20, "value size: SLNV firings per tile"),
      int_param("epochs", std::nullopt, 1, 1e12, "tiles (epochs) of the block"),
      int_param("sl_skew", "0", 0, 1e6, "epochs SLN+SLD+SLNV runs behind BQK+LM"),
      int_param("exp_cycles", "7", 1, static_cast<double>(kMaxPeFiringCycles),
                "cycles of exp(score - RM) (6 MACs + 1 add)"),
      bool_param("interleave", "true", "alternate the two stages firing by firing"),
      bool_param("array_control", "false",
                 "no interleaving, the array switches Einsums as a whole: wait for the go token "
                 "of a drained array (ports dl, du, go in; dn, go, gd out)"),
      bool_param("primed_rm", "false", "`rm` starts with a priming token to discard (col 0)"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<Pe2d>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::spatial
