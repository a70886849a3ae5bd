// `spatial_pe1d_flat`: PE k of the 1D array running FLAT's softmax for the queries
// p0 = k, k + K, ... (rows / pes of them), one score per firing, in three passes over the
// block's keys (the 3-pass cascade: each pass needs the previous one's reduction complete):
//   GM (pass 1): per tile and query, read the row's M0 scores from the 2D array's drain chain,
//     keep them in the buffer, and take the running max (one cycle each);
//   SN+SD (pass 2): per score, SN = exp(QK - GM) (`sn_cycles`: the architecture's exp, or one
//     issue slot on a pipelined PE) written over QK in the buffer, then SD += SN (one cycle);
//   A (pass 3): per score, A = SN / SD (one cycle), to the row's load chain into the 2D
//     array for AV.
// The buffer holds whole softmax rows (M scores per query) between the passes: that is
// FLAT's row granularity, and peak_buffer_words() reports it.
#include <cmath>
#include <vector>

#include "graphs/spatial/pe_units.h"
#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::spatial {

namespace {

const char* kType = "spatial_pe1d_flat";

enum class Phase : unsigned char { Gm, Sn, Sd, A, Done };

class Pe1dFlat : public PeUnit {
 public:
  Pe1dFlat(const std::string& name, const Params& p)
      : PeUnit(name, kType),
        cols_(units::get_int32(p, "cols")),
        tiles_(p.get_int("tiles")),
        sn_cycles_(p.get_int("sn_cycles")) {
    const int rows = units::get_int32(p, "rows"), pes = units::get_int32(p, "pes");
    if (rows % pes)
      units::param_error(name, kType, "pes",
                         "must divide rows (each PE serves rows / pes queries)");
    if (units::get_int32(p, "pe") >= pes)
      units::param_error(name, kType, "pe", "must be below pes");
    queries_ = rows / pes;
    if (queries_ > kMaxPorts)
      units::param_error(name, kType, "pes", "leaves too many queries per PE for its ports");
    for (int q = 0; q < queries_; ++q) add_input("s" + std::to_string(q));
    for (int q = 0; q < queries_; ++q) add_output("x" + std::to_string(q));
    row_.assign(static_cast<std::size_t>(queries_), {});
    gm_.assign(static_cast<std::size_t>(queries_), -INFINITY);
    sd_.assign(static_cast<std::size_t>(queries_), 0.0);
    set_rule();
  }

  void fire(FiringIO& io) override {
    std::vector<double>& row = row_[static_cast<std::size_t>(q_)];
    const std::size_t at = static_cast<std::size_t>(tile_ * cols_ + i_);
    switch (phase_) {
      case Phase::Gm: {
        const double s = io.in[q_][0];
        row.push_back(s);
        note_buffer_words(++words_);
        gm_[q_] = std::max(gm_[q_], s);
        charge(kStageGm, 1);
        break;
      }
      case Phase::Sn:
        row[at] = std::exp(row[at] - gm_[q_]);
        charge(kStageSnSd, sn_cycles_);
        break;
      case Phase::Sd:
        sd_[q_] += row[at];
        charge(kStageSnSd, 1);
        break;
      case Phase::A:
        io.out[q_][0] = row[at] / sd_[q_];
        charge(kStageA, 1);
        break;
      case Phase::Done:
        break;
    }
    advance();
    set_rule();
  }

  std::string describe_state() const override {
    static const char* names[] = {"GM", "SN", "SD", "A", "finished"};
    return std::string(names[static_cast<int>(phase_)]) + " tile " + std::to_string(tile_) +
           ", query " + std::to_string(q_) + ", score " + std::to_string(i_);
  }

 private:
  // Next firing: SN and SD alternate per score; scores, then queries, then tiles; then the
  // next pass.
  void advance() {
    if (phase_ == Phase::Sn) {
      phase_ = Phase::Sd;
      return;
    }
    const Phase pass = phase_ == Phase::Sd ? Phase::Sn : phase_;
    phase_ = pass;
    if (++i_ < cols_) return;
    i_ = 0;
    if (++q_ < queries_) return;
    q_ = 0;
    if (++tile_ < tiles_) return;
    tile_ = 0;
    phase_ = pass == Phase::Gm ? Phase::Sn : pass == Phase::Sn ? Phase::A : Phase::Done;
  }

  void set_rule() {
    FiringRule r;
    if (phase_ == Phase::Done) r.done = true;
    if (phase_ == Phase::Gm) r.reads = 1u << q_;
    if (phase_ == Phase::A) r.writes = 1u << q_;
    rule_ = r;
  }

  int cols_;
  std::int64_t tiles_;
  Cycle sn_cycles_;
  int queries_ = 1;
  std::vector<std::vector<double>> row_;  // per query: QK, then SN, of the whole row (M)
  std::vector<double> gm_, sd_;
  std::int64_t words_ = 0;
  Phase phase_ = Phase::Gm;
  std::int64_t tile_ = 0;
  int q_ = 0, i_ = 0;
};

UnitTypeInfo make_info() {
  using units::int_param;
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "One PE of the PE-level 1D array under FLAT's mapping (graphs/spatial, docs/spatial.md): "
      "for its rows / pes queries, the 3-pass softmax over whole rows kept in the buffer: GM "
      "(max of the scores from the 2D array's drain chain), SN = exp(QK - GM) and SD (sum), "
      "then A = SN / SD to the row's load chain. One cycle per op; SN costs sn_cycles.";
  info.inputs = {{"s0..", "QK scores of query q from its row's drain chain"}};
  info.outputs = {{"x0..", "A of query q to its row's load chain"}};
  info.schema = ParamSchema({
      int_param("pe", std::nullopt, 0, 4095, "this PE's index k (serves p0 = k, k + pes, ...)"),
      int_param("pes", std::nullopt, 1, 4096, "PEs of the 1D array (K)"),
      int_param("rows", std::nullopt, 1, 4096, "queries per tile (P0)"),
      int_param("cols", std::nullopt, 1, 4096, "scores per query and tile (M0)"),
      int_param("tiles", std::nullopt, 1, 1e12, "key chunks (M1) of the block"),
      int_param("sn_cycles", "7", 1, static_cast<double>(kMaxPeFiringCycles),
                "cycles of exp(QK - GM): 6 MACs + 1 add, or 1 on a pipelined PE"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<Pe1dFlat>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::spatial
