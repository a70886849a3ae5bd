// `spatial_pe1d`: PE k of the 1D array running FuseMax's 1D stages for the queries
// p0 = k, k + K, ... (rows / pes of them). Per unit step g:
//   RM of tile g - rm_skew: per query, read LM[p] from the 2D array's last column, take the
//     running max and send RM[p] back to the 2D row (one firing, one cycle);
//   PRM+SPD+RD+SPNV+RNV of tile g - prm_skew: per query, PRM = exp(RM_old - RM_new)
//     (`exp_cycles`), SPD = RD * PRM, RD = SLD + SPD (SLD read from the 2D array), then for
//     each f: SPNV = RNV[f] * PRM, RNV[f] = SLNV[f] + SPNV (SLNV read from the 2D array);
//   after the block's last tile, AV[f, p] = RNV[f] / RD for every query and f, to `av`.
// Every op is one firing of one cycle (exp: exp_cycles), as the 1D PEs are sequential.
#include <deque>
#include <vector>

#include "graphs/spatial/pe_units.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::spatial {

namespace {

const char* kType = "spatial_pe1d";

enum class Op : unsigned char { Rm, Prm, Spd, Rd, Spnv, Rnv, Av };

struct Firing {
  Op op;
  int q;  // local query index
  int f;  // value index (Spnv, Rnv, Av)
  int p1 = 0;
};

class Pe1d : public PeUnit {
 public:
  Pe1d(const std::string& name, const Params& p)
      : PeUnit(name, kType),
        F_(units::get_int32(p, "F")),
        P1_(units::get_int32(p, "P1")),
        epochs_(p.get_int("epochs")),
        rm_skew_(p.get_int("rm_skew")),
        prm_skew_(p.get_int("prm_skew")),
        exp_cycles_(p.get_int("exp_cycles")) {
    const int rows = units::get_int32(p, "rows"), pes = units::get_int32(p, "pes");
    if (rows % pes)
      units::param_error(name, kType, "pes",
                         "must divide rows (each PE serves rows / pes queries)");
    if (units::get_int32(p, "pe") >= pes)
      units::param_error(name, kType, "pe", "must be below pes");
    if (prm_skew_ < rm_skew_) units::param_error(name, kType, "prm_skew", "must be >= rm_skew");
    queries_ = rows / pes;
    if (3 * queries_ > kMaxPorts || queries_ + 1 > kMaxPorts)
      units::param_error(name, kType, "pes", "leaves too many queries per PE for its ports");
    for (int q = 0; q < queries_; ++q) {
      add_input("lm" + std::to_string(q));
      add_input("sd" + std::to_string(q));
      add_input("nv" + std::to_string(q));
      add_output("rm" + std::to_string(q));
    }
    add_output("av");
    state_.resize(static_cast<std::size_t>(P1_) * queries_);
    for (auto& s : state_) s.rnv.assign(static_cast<std::size_t>(F_), 0.0);
    pending_.resize(static_cast<std::size_t>(queries_));
    next_step();
    set_rule();
  }

  void fire(FiringIO& io) override {
    const Firing& x = program_[pos_];
    const int lm = 3 * x.q, sd = lm + 1, nv = lm + 2;
    switch (x.op) {
      case Op::Rm: {
        State& s = at(tile_p1(step_ - 1 - rm_skew_), x.q);
        const double old = s.rm;
        s.rm = std::max(old, io.in[lm][0]);
        io.out[x.q][0] = s.rm;
        pending_[static_cast<std::size_t>(x.q)].push_back({old, s.rm});
        charge(kStageRm, 1);
        break;
      }
      case Op::Prm: {
        auto& q = pending_[static_cast<std::size_t>(x.q)];
        prm_ = std::exp(q.front().first - q.front().second);  // RM_old = -inf: 0
        q.pop_front();
        charge(kStagePrm, exp_cycles_);
        break;
      }
      case Op::Spd:
        spd_ = cur(x).rd * prm_;
        charge(kStagePrm, 1);
        break;
      case Op::Rd:
        cur(x).rd = io.in[sd][0] + spd_;
        charge(kStagePrm, 1);
        break;
      case Op::Spnv:
        spnv_ = cur(x).rnv[static_cast<std::size_t>(x.f)] * prm_;
        charge(kStagePrm, 1);
        break;
      case Op::Rnv:
        cur(x).rnv[static_cast<std::size_t>(x.f)] = io.in[nv][0] + spnv_;
        charge(kStagePrm, 1);
        break;
      case Op::Av: {
        const State& s = at(x.p1, x.q);
        io.out[queries_][0] = s.rnv[static_cast<std::size_t>(x.f)] / s.rd;
        charge(kStageAv, 1);
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
  struct State {  // running values of one query: RM, RD, RNV[f]
    double rm = -INFINITY, rd = 0;
    std::vector<double> rnv;
  };
  int tile_p1(std::int64_t tile) const { return static_cast<int>(tile % P1_); }
  State& at(int p1, int q) { return state_[static_cast<std::size_t>(p1 * queries_ + q)]; }
  State& cur(const Firing& x) { return at(tile_p1(step_ - 1 - prm_skew_), x.q); }

  void next_step() {
    program_.clear();
    pos_ = 0;
    while (program_.empty() && step_ < epochs_ + prm_skew_) {
      const std::int64_t rm_tile = step_ - rm_skew_, prm_tile = step_ - prm_skew_;
      ++step_;
      if (rm_tile >= 0 && rm_tile < epochs_)
        for (int q = 0; q < queries_; ++q) program_.push_back({Op::Rm, q, 0});
      if (prm_tile < 0) continue;
      for (int q = 0; q < queries_; ++q) {
        program_.push_back({Op::Prm, q, 0});
        program_.push_back({Op::Spd, q, 0});
        program_.push_back({Op::Rd, q, 0});
        for (int f = 0; f < F_; ++f) {
          program_.push_back({Op::Spnv, q, f});
          program_.push_back({Op::Rnv, q, f});
        }
      }
      if (prm_tile == epochs_ - 1)
        for (int p1 = 0; p1 < P1_; ++p1)
          for (int q = 0; q < queries_; ++q)
            for (int f = 0; f < F_; ++f) program_.push_back({Op::Av, q, f, p1});
    }
  }

  void set_rule() {
    FiringRule r;
    if (pos_ >= program_.size()) {
      r.done = true;
    } else {
      const Firing& x = program_[pos_];
      const std::uint32_t lm = 1u << (3 * x.q);
      switch (x.op) {
        case Op::Rm:
          r.reads = lm, r.writes = 1u << x.q;
          break;
        case Op::Rd:
          r.reads = lm << 1;
          break;
        case Op::Rnv:
          r.reads = lm << 2;
          break;
        case Op::Av:
          r.writes = 1u << queries_;
          break;
        default:
          break;
      }
    }
    rule_ = r;
  }

  int F_, P1_, queries_ = 1;
  std::int64_t epochs_, rm_skew_, prm_skew_;
  Cycle exp_cycles_;
  std::vector<State> state_;
  std::vector<std::deque<std::pair<double, double>>> pending_;  // (RM_old, RM_new) per tile
  std::vector<Firing> program_;
  std::size_t pos_ = 0;
  std::int64_t step_ = 0;
  double prm_ = 0, spd_ = 0, spnv_ = 0;
};

UnitTypeInfo make_info() {
  using units::int_param;
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "One PE of the PE-level 1D array (graphs/spatial, docs/spatial.md): for its rows / pes "
      "queries, RM of tile g - rm_skew (running max, sent back to the 2D row), PRM, SPD, RD, "
      "SPNV, RNV of tile g - prm_skew (the running softmax corrections), and after the last "
      "tile AV = RNV / RD. One cycle per op; exp costs exp_cycles.";
  info.inputs = {{"lm0..", "LM[p] of query q from the 2D array's last column"},
                 {"sd0..", "SLD[p] of query q"},
                 {"nv0..", "SLNV[f, p] of query q, f = 0..F-1"}};
  info.outputs = {{"rm0..", "RM[p] of query q to the 2D array's row"},
                  {"av", "AV[f, p]: p1, then query, then f"}};
  info.schema = ParamSchema({
      int_param("pe", std::nullopt, 0, 4095, "this PE's index k (serves p0 = k, k + pes, ...)"),
      int_param("pes", std::nullopt, 1, 4096, "PEs of the 1D array (K)"),
      int_param("rows", std::nullopt, 1, 4096, "queries per tile (P0)"),
      int_param("F", std::nullopt, 1, 1 << 20, "value size"),
      int_param("P1", "1", 1, 1 << 20, "query tiles sharing a K/V chunk (epoch e has p1 = e % P1)"),
      int_param("epochs", std::nullopt, 1, 1e12, "tiles (epochs) of the block"),
      int_param("rm_skew", "0", 0, 1e6, "epochs RM runs behind the 2D array's BQK+LM"),
      int_param("prm_skew", "0", 0, 1e6, "epochs PRM..RNV (and AV) run behind BQK+LM"),
      int_param("exp_cycles", "7", 1, static_cast<double>(kMaxPeFiringCycles),
                "cycles of exp(RM_old - RM_new) (6 MACs + 1 add)"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<Pe1d>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::spatial
