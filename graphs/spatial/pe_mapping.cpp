#include "graphs/spatial/pe_mapping.h"

#include <algorithm>
#include <cmath>

#include "graphs/spatial/pe_flat.h"
#include "graphs/spatial/pe_units.h"
#include "graphs/spatial/spatial_sim.h"
#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "sim/units/sink.h"

namespace streamsim::spatial {

namespace {

std::string s(int i) {
  return std::to_string(i);
}
std::string pe(int p, int m) {
  return "pe" + s(p) + "_" + s(m);
}

const std::vector<const char*> kFuseMaxStages = {kStageBqk, kStageRm, kStageSln, kStagePrm,
                                                 kStageAv};
const std::vector<const char*> kFlatStages = {kStageQk, kStageGm, kStageSnSd, kStageA, kStageAv};
const std::vector<const char*>& pl_stages(const PeLevelPlan& pl) {
  return pl.model == PeModel::Flat ? kFlatStages : kFuseMaxStages;
}

// softmax(QK^T) V of one block, straight from the definition (numerically stable).
std::vector<std::vector<double>> reference_av(const PeLevelPlan& pl) {
  const int P = pl.P1 * pl.R, M = static_cast<int>(pl.epochs / pl.P1) * pl.C;
  std::vector<std::vector<double>> av(static_cast<std::size_t>(P), std::vector<double>(pl.F, 0.0));
  std::vector<double> score(static_cast<std::size_t>(M));
  for (int p = 0; p < P; ++p) {
    double mx = -INFINITY, sum = 0;
    for (int m = 0; m < M; ++m) {
      double d = 0;
      for (int e = 0; e < pl.E; ++e) d += pe_q(p, e) * pe_k(m, e);
      score[m] = d;
      mx = std::max(mx, d);
    }
    for (int m = 0; m < M; ++m) {
      const double w = std::exp(score[m] - mx);
      sum += w;
      for (int f = 0; f < pl.F; ++f) av[p][f] += w * pe_v(m, f);
    }
    for (int f = 0; f < pl.F; ++f) av[p][f] /= sum;
  }
  return av;
}

// The array-wide control of a non-interleaved 2D array (pe2d_unit.cpp): done tokens are
// AND-reduced along each row to the last column and down it to PE (R-1, C-1), whose done is
// PE (0, 0)'s go; go is forwarded down column 0 and along each row. The back edge closes a
// cycle, so it starts with one token: the go of the first run (the array is idle at reset).
void connect_array_control(Graph& g, const PeLevelPlan& pl) {
  const ChannelTiming hop{2, 1, 1};
  for (int p = 0; p < pl.R; ++p)
    for (int m = 0; m < pl.C; ++m) {
      const std::string me = pe(p, m);
      if (m > 0) g.connect(pe(p, m - 1) + ".dn", me + ".dl", hop);
      if (m > 0) g.connect(pe(p, m - 1) + ".go", me + ".go", hop);
      if (m == 0 && p > 0) g.connect(pe(p - 1, 0) + ".gd", me + ".go", hop);
      if (m == pl.C - 1 && p > 0) g.connect(pe(p - 1, m) + ".dn", me + ".du", hop);
    }
  const int back = g.connect(pe(pl.R - 1, pl.C - 1) + ".dn", pe(0, 0) + ".go", hop);
  g.set_initial_tokens(back, {0.0});
}

}  // namespace

int schedule_stage(const Schedule& schedule, const std::string& runs) {
  for (int i = 0; i < static_cast<int>(schedule.stages.size()); ++i) {
    const std::string& n = schedule.stages[i].name;
    if (n.size() > runs.size() && n.compare(n.size() - runs.size(), runs.size(), runs) == 0 &&
        n[n.size() - runs.size() - 1] == '.')
      return i;
  }
  return -1;
}

PeLevelPlan pe_level_plan(const Architecture& arch, const Mapping& m, const CompiledMapping& cm,
                          const Workload& w) {
  auto fail = [&](const std::string& why) {
    throw Error(m.loc, "mapping '" + m.name + "': the PE-level model does not cover it: " + why);
  };
  const Schedule& sched = cm.schedule;
  if (sched.passes.size() == 3 && !m.unfused && !m.kernels) return pe_flat_plan(arch, m, cm, w);
  if (sched.passes.size() != 1)
    fail("it has " + s(int(sched.passes.size())) +
         " passes (PE level: FuseMax's 1-pass cascade or FLAT's 3-pass cascade fused by passes)");
  int idx[5];
  for (int i = 0; i < 5; ++i) {
    idx[i] = schedule_stage(sched, kFuseMaxStages[i]);
    if (idx[i] < 0)
      fail(std::string("no stage ") + kFuseMaxStages[i] + " (PE level: FuseMax's binding)");
  }
  const int arrays = static_cast<int>(std::count_if(sched.stages.begin(), sched.stages.end(),
                                                    [](const StageDef& d) { return d.unit != 0; }));
  if (arrays != 5) fail("it has array stages beyond FuseMax's five");
  if (arch.array2d.pipelined || arch.array1d.pipelined)
    fail("pipelined PEs (PE level: op_timing sequential)");
  if (cm.P0 % arch.array1d.pes)
    fail("1D PEs (" + s(arch.array1d.pes) + ") do not divide P0 (" + s(cm.P0) + ")");
  if (w.seq % cm.M0 || w.seq % (std::int64_t(cm.P1) * cm.P0))
    fail("seq " + std::to_string(w.seq) +
         " is not a multiple of M0 and P1*P0 (no ragged tiles at PE level)");
  PeLevelPlan pl;
  pl.R = cm.P0;
  pl.C = cm.M0;
  pl.K = arch.array1d.pes;
  pl.E = w.E;
  pl.F = w.F;
  pl.P1 = cm.P1;
  pl.epochs = cm.M1 * cm.P1;
  const int base = sched.stages[idx[0]].skew;
  pl.rm_skew = sched.stages[idx[1]].skew - base;
  pl.sl_skew = sched.stages[idx[2]].skew - base;
  pl.prm_skew = sched.stages[idx[3]].skew - base;
  if (sched.stages[idx[4]].skew - base != pl.prm_skew) fail("AV is not skewed with PRM..RNV");
  pl.exp_cycles = arch.exp_macs + arch.exp_adds + (arch.exp_fuses_argument ? 0 : 1);
  pl.interleave = m.interleave;
  return pl;
}

Graph build_pe_level_graph(const PeLevelPlan& pl) {
  if (pl.model == PeModel::Flat) return build_pe_flat_graph(pl);
  Graph g;
  auto feed = [&](const std::string& name, const char* operand, int index, int side, int length) {
    Params p;
    p.set("operand", operand).set("index", index).set("side", side).set("length", length);
    p.set("P1", pl.P1).set("epochs", pl.epochs);
    g.add_unit(name, "spatial_pe_feed", p);
  };
  for (int p = 0; p < pl.R; ++p) feed("q" + s(p), "q", p, pl.R, pl.E);
  for (int m = 0; m < pl.C; ++m)
    feed("k" + s(m), "k", m, pl.C, pl.E), feed("v" + s(m), "v", m, pl.C, pl.F);
  for (int p = 0; p < pl.R; ++p)
    for (int m = 0; m < pl.C; ++m) {
      Params q;
      q.set("row", p)
          .set("col", m)
          .set("rows", pl.R)
          .set("cols", pl.C)
          .set("E", pl.E)
          .set("F", pl.F);
      q.set("epochs", pl.epochs)
          .set("sl_skew", pl.sl_skew)
          .set("exp_cycles", std::int64_t(pl.exp_cycles));
      // Without interleaving the array switches Einsums as a whole (array-wide control).
      q.set("interleave", pl.interleave).set("array_control", !pl.interleave);
      q.set("primed_rm", m == 0);
      g.add_unit(pe(p, m), "spatial_pe2d", q);
    }
  for (int k = 0; k < pl.K; ++k) {
    Params q;
    q.set("pe", k).set("pes", pl.K).set("rows", pl.R).set("F", pl.F).set("P1", pl.P1);
    q.set("epochs", pl.epochs).set("rm_skew", pl.rm_skew).set("prm_skew", pl.prm_skew);
    q.set("exp_cycles", std::int64_t(pl.exp_cycles));
    g.add_unit("pe1d" + s(k), "spatial_pe1d", q);
    g.add_unit("av" + s(k), "sink", Params{});
    g.connect("pe1d" + s(k) + ".av", "av" + s(k));
  }
  // Inside the 2D array every hop is a FIFO of 2 (full rate, docs/timing-model.md). Between
  // the arrays a producer runs up to (skew difference) tiles ahead of its consumer, so those
  // FIFOs hold that many tiles plus two, as the tile-level edges do.
  const ChannelTiming hop{2, 1, 1};
  auto tiles = [&](int ahead, int per_tile) {
    return ChannelTiming{Cycle(ahead + 2) * per_tile, 1, 1};
  };
  for (int p = 0; p < pl.R; ++p)
    for (int m = 0; m < pl.C; ++m) {
      const std::string me = pe(p, m);
      g.connect(m == 0 ? "q" + s(p) : pe(p, m - 1) + ".a", me + ".a", hop);
      g.connect(p == 0 ? "k" + s(m) : pe(p - 1, m) + ".b", me + ".b", hop);
      g.connect(p == 0 ? "v" + s(m) : pe(p - 1, m) + ".v", me + ".v", hop);
      if (m == 0) continue;
      for (const char* port : {".r", ".rm", ".sd", ".nv"})
        g.connect(pe(p, m - 1) + port, me + port, hop);
    }
  if (!pl.interleave) connect_array_control(g, pl);
  for (int p = 0; p < pl.R; ++p) {
    const std::string last = pe(p, pl.C - 1), k = "pe1d" + s(p % pl.K), q = s(p / pl.K);
    g.connect(last + ".r", k + ".lm" + q, tiles(pl.rm_skew, 1));
    g.connect(last + ".sd", k + ".sd" + q, tiles(pl.prm_skew - pl.sl_skew, 1));
    g.connect(last + ".nv", k + ".nv" + q, tiles(pl.prm_skew - pl.sl_skew, pl.F));
    // RM closes the cycle 2D -> 1D -> 2D: one priming token (RM[0] = -inf) that PE (p, 0)
    // discards, as the tile-level back edges do.
    ChannelTiming rm = tiles(pl.sl_skew - pl.rm_skew, 1);
    rm.depth += 1;
    const int ch = g.connect(k + ".rm" + q, pe(p, 0) + ".rm", rm);
    g.set_initial_tokens(ch, {0.0});
  }
  return g;
}

std::vector<std::vector<double>> pe_level_av(const PeLevelPlan& pl, const RunResult& r) {
  if (pl.model == PeModel::Flat) return pe_flat_av(pl, r);
  std::vector<std::vector<double>> av(static_cast<std::size_t>(pl.P1 * pl.R),
                                      std::vector<double>(pl.F, 0.0));
  const int queries = pl.R / pl.K;
  for (int k = 0; k < pl.K; ++k) {
    const auto* sink = r.unit_as<units::SinkUnit>("av" + s(k));
    if (!sink) continue;
    const auto& v = sink->values();
    std::size_t i = 0;
    for (int p1 = 0; p1 < pl.P1; ++p1)
      for (int q = 0; q < queries; ++q)
        for (int f = 0; f < pl.F && i < v.size(); ++f) av[p1 * pl.R + k + q * pl.K][f] = v[i++];
  }
  return av;
}

PeComparison compare_tile_and_pe(const Architecture& arch0, const Mapping& m, const Workload& w0,
                                 const std::string& engine) {
  Workload w = w0;
  w.batch = 1;
  w.heads = 1;
  // The PE-level model has no DRAM (its feeds are the global buffer's ports), so the tile
  // level is run with DRAM transfers of one cycle: the two compare the arrays alone.
  Architecture arch = arch0;
  arch.dram_gb_per_s = 1e12;
  arch.dram_latency_cycles = 0;
  CompiledMapping cm = compile_mapping(arch, m, w);
  PeComparison out;
  out.plan = pe_level_plan(arch, m, cm, w);
  RunResult tile = run_blocks(cm, 1, engine);
  RunResult pe_run = make_engine(engine)->run(build_pe_level_graph(out.plan));
  if (pe_run.status != RunStatus::Finished)
    throw Error("PE-level run did not finish (" + std::string(run_status_name(pe_run.status)) +
                "): " + pe_run.deadlock.explain());
  out.tile_cycles = tile.cycles;
  out.pe_cycles = pe_run.cycles;
  Schedule one = cm.schedule;
  one.blocks = 1;
  for (const char* name : pl_stages(out.plan)) {
    StageComparison sc;
    sc.stage = name;
    const int st = schedule_stage(one, name);
    for (std::int64_t e = 0; e < one.epochs(); ++e) sc.tile_busy += one.work(e, st).ii;
    for (const auto& u : pe_run.unit_objects)
      if (auto* p = dynamic_cast<const PeUnit*>(u.get())) {
        auto it = p->stage_busy().find(name);
        if (it != p->stage_busy().end()) sc.pe_busy = std::max(sc.pe_busy, it->second);
      }
    out.stages.push_back(sc);
  }
  if (out.plan.model == PeModel::Flat) {
    out.tile_row_bytes = cm.spillable_bytes;
    for (const auto& u : pe_run.unit_objects)
      if (auto* p = dynamic_cast<const PeUnit*>(u.get()))
        out.pe_row_bytes += double(p->peak_buffer_words()) * arch.word_bytes;
  }
  auto want = reference_av(out.plan);
  auto got = pe_level_av(out.plan, pe_run);
  for (std::size_t p = 0; p < want.size(); ++p)
    for (std::size_t f = 0; f < want[p].size(); ++f)
      if (const double d = std::abs(want[p][f] - got[p][f]); !(d <= out.max_abs_error))
        out.max_abs_error = d;  // a NaN sticks
  return out;
}

}  // namespace streamsim::spatial
