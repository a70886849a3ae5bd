#include "graphs/spatial/pe_flat.h"

#include <algorithm>

#include "graphs/spatial/pe_units.h"
#include "sim/core/error.h"
#include "sim/units/sink.h"

namespace streamsim::spatial {

namespace {

std::string s(int i) {
  return std::to_string(i);
}
std::string at(const char* kind, int p, int m) {
  return kind + s(p) + "_" + s(m);
}

}  // namespace

PeLevelPlan pe_flat_plan(const Architecture& arch, const Mapping& m, const CompiledMapping& cm,
                         const Workload& w) {
  auto fail = [&](const std::string& why) {
    throw Error(m.loc, "mapping '" + m.name + "': the PE-level model does not cover it: " + why);
  };
  const Schedule& sched = cm.schedule;
  const char* stages[] = {kStageQk, kStageGm, kStageSnSd, kStageA, kStageAv};
  const int units[] = {cm.unit_2d, cm.unit_1d, cm.unit_1d, cm.unit_1d, cm.unit_2d};
  int idx[5];
  for (int i = 0; i < 5; ++i) {
    idx[i] = schedule_stage(sched, stages[i]);
    if (idx[i] < 0 || sched.stages[idx[i]].unit != units[i])
      fail(std::string("no stage ") + stages[i] + " on the array FLAT's binding puts it on");
  }
  const auto arrays = std::count_if(sched.stages.begin(), sched.stages.end(),
                                    [](const StageDef& d) { return d.unit != 0; });
  if (arrays != 5) fail("it has array stages beyond FLAT's five");
  if (arch.array2d.pipelined) fail("a pipelined 2D array (PE level: op_timing sequential)");
  if (cm.P1 != 1) fail("P1 = " + s(cm.P1) + " (FLAT's rows: P1 = 1)");
  if (cm.P0 % arch.array1d.pes)
    fail("1D PEs (" + s(arch.array1d.pes) + ") do not divide P0 (" + s(cm.P0) + ")");
  if (cm.P0 / arch.array1d.pes > kMaxPorts) fail("more than " + s(kMaxPorts) + " rows per 1D PE");
  if (w.seq % cm.M0 || w.seq % cm.P0)
    fail("seq " + std::to_string(w.seq) +
         " is not a multiple of M0 and P0 (no ragged tiles at PE level)");
  if (cm.spill_fraction > 0)
    fail("the block's softmax rows do not fit the buffer (the PE level keeps them on chip)");
  PeLevelPlan pl;
  pl.model = PeModel::Flat;
  pl.R = cm.P0;
  pl.C = cm.M0;
  pl.K = arch.array1d.pes;
  pl.E = w.E;
  pl.F = w.F;
  pl.P1 = 1;
  pl.epochs = cm.M1;
  pl.gm_skew = sched.stages[idx[1]].skew - sched.stages[idx[0]].skew;
  pl.av_skew = sched.stages[idx[4]].skew - sched.stages[idx[3]].skew;
  // A pipelined 1D PE issues exp(QK - GM) in one slot; a sequential one spends its ops.
  pl.exp_cycles = arch.array1d.pipelined
                      ? 1
                      : arch.exp_macs + arch.exp_adds + (arch.exp_fuses_argument ? 0 : 1);
  pl.interleave = false;
  return pl;
}

Graph build_pe_flat_graph(const PeLevelPlan& pl) {
  Graph g;
  auto feed = [&](const std::string& name, const char* operand, int index, int side, int length) {
    Params p;
    p.set("operand", operand).set("index", index).set("side", side).set("length", length);
    p.set("P1", 1).set("epochs", pl.epochs);
    g.add_unit(name, "spatial_pe_feed", p);
  };
  for (int p = 0; p < pl.R; ++p) feed("q" + s(p), "q", p, pl.R, pl.E);
  for (int m = 0; m < pl.C; ++m)
    feed("k" + s(m), "k", m, pl.C, pl.E), feed("v" + s(m), "v", m, pl.C, pl.F);
  for (int p = 0; p < pl.R; ++p) {
    for (int m = 0; m < pl.C; ++m) {
      Params q;
      q.set("row", p).set("col", m).set("rows", pl.R).set("cols", pl.C);
      q.set("E", pl.E).set("F", pl.F).set("tiles", pl.epochs);
      g.add_unit(at("pe", p, m), "spatial_pe2d_flat", q);
      for (const char* mode : {"drain", "load"}) {
        Params c;
        c.set("mode", mode).set("col", m).set("cols", pl.C).set("tiles", pl.epochs);
        c.set("primed", mode[0] == 'l' && m == 0);
        g.add_unit(at(mode[0] == 'd' ? "d" : "l", p, m), "spatial_pe_shift", c);
      }
    }
    g.add_unit("av" + s(p), "sink", Params{});
  }
  for (int k = 0; k < pl.K; ++k) {
    Params q;
    q.set("pe", k).set("pes", pl.K).set("rows", pl.R).set("cols", pl.C).set("tiles", pl.epochs);
    q.set("sn_cycles", std::int64_t(pl.exp_cycles));
    g.add_unit("pe1d" + s(k), "spatial_pe1d_flat", q);
  }
  // Every hop inside the array is a FIFO of 2 (full rate). Between the arrays a producer runs
  // up to (skew difference) tiles ahead of its consumer, as the tile-level edges allow.
  const ChannelTiming hop{2, 1, 1};
  auto tiles = [&](int ahead) { return ChannelTiming{Cycle(ahead + 2) * pl.C, 1, 1}; };
  for (int p = 0; p < pl.R; ++p) {
    for (int m = 0; m < pl.C; ++m) {
      const std::string me = at("pe", p, m);
      g.connect(m == 0 ? "q" + s(p) : at("pe", p, m - 1) + ".a", me + ".a", hop);
      g.connect(p == 0 ? "k" + s(m) : at("pe", p - 1, m) + ".b", me + ".b", hop);
      g.connect(p == 0 ? "v" + s(m) : at("pe", p - 1, m) + ".v", me + ".v", hop);
      if (m > 0) g.connect(at("pe", p, m - 1) + ".nv", me + ".nv", hop);
      g.connect(me + ".s", at("d", p, m) + ".own", hop);
      if (m > 0) g.connect(at("d", p, m - 1) + ".right", at("d", p, m) + ".left", hop);
      if (m > 0) g.connect(at("l", p, m - 1) + ".right", at("l", p, m) + ".left", hop);
      g.connect(at("l", p, m) + ".pe", me + ".x", hop);
    }
    const std::string k = "pe1d" + s(p % pl.K), q = s(p / pl.K);
    g.connect(at("pe", p, pl.C - 1) + ".nv", "av" + s(p), hop);
    g.connect(at("d", p, pl.C - 1) + ".right", k + ".s" + q, tiles(pl.gm_skew));
    // The cycle 2D -> 1D -> 2D holds one priming token, discarded by the first load cell.
    ChannelTiming back = tiles(pl.av_skew);
    back.depth += 1;
    g.set_initial_tokens(g.connect(k + ".x" + q, at("l", p, 0) + ".left", back), {0.0});
  }
  return g;
}

std::vector<std::vector<double>> pe_flat_av(const PeLevelPlan& pl, const RunResult& r) {
  std::vector<std::vector<double>> av(static_cast<std::size_t>(pl.R),
                                      std::vector<double>(pl.F, 0.0));
  for (int p = 0; p < pl.R; ++p) {
    const auto* sink = r.unit_as<units::SinkUnit>("av" + s(p));
    if (!sink) continue;
    const auto& v = sink->values();
    for (std::size_t i = 0; i < v.size(); ++i) av[p][i % pl.F] += v[i];
  }
  return av;
}

}  // namespace streamsim::spatial
