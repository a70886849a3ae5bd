#include "graphs/spatial/pe_array.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "graphs/spatial/schedule.h"
#include "graphs/spatial/spatial_sim.h"
#include "graphs/spatial/tile_timing.h"
#include "sim/core/run_result.h"
#include "sim/core/unit.h"

namespace streamsim::spatial {

double pe_q_value(int t, int e, int p) { return std::sin(0.7 * t + 1.3 * e + 0.31 * p); }
double pe_k_value(int t, int e, int m) { return std::cos(0.5 * t + 0.9 * e + 0.17 * m); }

namespace {

// Streams one operand edge: E values per tile, one per cycle.
class OperandFeed : public Unit {
 public:
  OperandFeed(const std::string& name, bool is_q, int index, const PeArrayShape& s)
      : Unit(name, "pe_operand_feed"), is_q_(is_q), index_(index), E_(s.E), total_(std::int64_t(s.tiles) * s.E) {
    add_output("out");
    rule_ = FiringRule{0, 1, total_ == 0};
  }
  void fire(FiringIO& io) override {
    int t = static_cast<int>(n_ / E_), e = static_cast<int>(n_ % E_);
    io.out[0][0] = is_q_ ? pe_q_value(t, e, index_) : pe_k_value(t, e, index_);
    rule_.done = ++n_ >= total_;
  }

 private:
  bool is_q_;
  int index_, E_;
  std::int64_t total_, n_ = 0;
};

// PE (p, m). Ports: in a (from left), b (from top), r (partial max from the left, m > 0);
// out a (to the right, m < C-1), b (down, p < R-1), r (to the right or the row sink).
// Per tile: E MAC firings (read a, b; forward them), then one reduce firing.
class Pe : public Unit {
 public:
  Pe(const std::string& name, int p, int m, const PeArrayShape& s) : Unit(name, "pe"), E_(s.E), tiles_(s.tiles) {
    add_input("a");
    add_input("b");
    if (m > 0) add_input("r");
    if (m < s.cols - 1) a_out_ = add_out("a");
    if (p < s.rows - 1) b_out_ = add_out("b");
    r_out_ = add_out("r");
    has_r_in_ = m > 0;
    set_rule();
  }
  void fire(FiringIO& io) override {
    if (k_ < E_) {
      const double a = io.in[0][0], b = io.in[1][0];
      acc_ += a * b;
      if (a_out_ >= 0) io.out[a_out_][0] = a;
      if (b_out_ >= 0) io.out[b_out_][0] = b;
      ++k_;
    } else {
      io.out[r_out_][0] = has_r_in_ ? std::max(io.in[2][0], acc_) : acc_;
      acc_ = 0;
      k_ = 0;
      ++t_;
    }
    set_rule();
  }

 private:
  int add_out(const std::string& n) {
    add_output(n);
    return static_cast<int>(outputs().size()) - 1;
  }
  void set_rule() {
    FiringRule r;
    if (t_ >= tiles_) {
      r.done = true;
    } else if (k_ < E_) {
      r.reads = 0b11;
      if (a_out_ >= 0) r.writes |= 1u << a_out_;
      if (b_out_ >= 0) r.writes |= 1u << b_out_;
    } else {
      r.reads = has_r_in_ ? 0b100 : 0;
      r.writes = 1u << r_out_;
    }
    rule_ = r;
  }
  int E_, tiles_, k_ = 0, t_ = 0;
  int a_out_ = -1, b_out_ = -1, r_out_ = -1;
  bool has_r_in_ = false;
  double acc_ = 0;
};

class LmSink : public Unit {
 public:
  explicit LmSink(const std::string& name) : Unit(name, "pe_lm_sink") {
    add_input("in");
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override { values.push_back(io.in[0][0]); }
  std::vector<double> values;
};

std::string pe_name(int p, int m) { return "pe" + std::to_string(p) + "_" + std::to_string(m); }

}  // namespace

Graph build_pe_array_bqk_lm(const PeArrayShape& s) {
  Graph g;
  for (int p = 0; p < s.rows; ++p) {
    std::string n = "q" + std::to_string(p);
    g.add_custom_unit(n, [n, p, s] { return std::make_unique<OperandFeed>(n, true, p, s); });
  }
  for (int m = 0; m < s.cols; ++m) {
    std::string n = "k" + std::to_string(m);
    g.add_custom_unit(n, [n, m, s] { return std::make_unique<OperandFeed>(n, false, m, s); });
  }
  for (int p = 0; p < s.rows; ++p)
    for (int m = 0; m < s.cols; ++m) {
      std::string n = pe_name(p, m);
      g.add_custom_unit(n, [n, p, m, s] { return std::make_unique<Pe>(n, p, m, s); });
    }
  for (int p = 0; p < s.rows; ++p) {
    std::string n = "lm" + std::to_string(p);
    g.add_custom_unit(n, [n] { return std::make_unique<LmSink>(n); });
  }
  for (int p = 0; p < s.rows; ++p)
    for (int m = 0; m < s.cols; ++m) {
      const std::string me = pe_name(p, m);
      g.connect(m == 0 ? "q" + std::to_string(p) : pe_name(p, m - 1) + ".a", me + ".a");
      g.connect(p == 0 ? "k" + std::to_string(m) : pe_name(p - 1, m) + ".b", me + ".b");
      if (m > 0) g.connect(pe_name(p, m - 1) + ".r", me + ".r");
    }
  for (int p = 0; p < s.rows; ++p) g.connect(pe_name(p, s.cols - 1) + ".r", "lm" + std::to_string(p));
  return g;
}

Graph build_tile_bqk_lm(const PeArrayShape& s, const Cascade& c) {
  const EinsumCost& bqk = *c.einsum("BQK");
  const EinsumCost& lm = *c.einsum("LM");
  // One PE per point of the R x C tile: each Einsum costs its ops per point in cycles.
  const Cycle cycles = bqk.ops(s.E, s.E, 7) + lm.ops(s.E, s.E, 7);
  const Cycle fill = std::max(fill_2d(bqk.kind, s.rows, s.cols), fill_2d(lm.kind, s.rows, s.cols));
  auto sched = std::make_shared<Schedule>();
  sched->unit_names = {"feed", "array2d", "sink"};
  sched->unit_kinds = {UnitKind::Dram, UnitKind::Array2D, UnitKind::Array1D};
  sched->stages = {StageDef{"feed", 0, 0, 0}, StageDef{"BQK+LM", 1, 0, 0}, StageDef{"sink", 2, 0, 0}};
  sched->edges = {EdgeDef{0, 1, false, 2, 0, false},
                  EdgeDef{1, 2, false, 2 + in_flight_tiles(cycles, cycles + fill), 0, false}};
  PassDef pass;
  pass.epochs = s.tiles;
  // The feed's token says "operands start arriving"; the array consumes them over its II.
  const StageWork feed{true, 1, 1, 0, 0};
  const StageWork array{true, cycles, cycles + fill, double(cycles) * s.rows * s.cols, 0};
  const StageWork sink{true, 1, 1, 0, 0};
  for (auto& w : pass.work) w = {feed, array, sink};
  sched->passes = {pass};
  sched->validate();
  return build_spatial_graph(sched);
}

std::vector<double> pe_array_lm_values(const RunResult& r, int row) {
  auto* sink = r.unit_as<LmSink>("lm" + std::to_string(row));
  return sink ? sink->values : std::vector<double>{};
}

}  // namespace streamsim::spatial
