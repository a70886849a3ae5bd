#include "graphs/spatial/compile_mapping.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "graphs/spatial/cascade_costs.h"
#include "graphs/spatial/tile_timing.h"
#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/time_limits.h"

namespace streamsim::spatial {

namespace {

constexpr Cycle kStoreLag =
    4;  // DRAM serves an epoch's stores this many epochs (plus the arrays' skew) after its loads
constexpr Cycle kStageDepth = 2;  // double buffering between stages

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return a / b + (a % b != 0);  // (a + b - 1) / b overflows for a near INT64_MAX
}

struct Tiles {
  int M0, P0, P1, E, F, w;
  std::int64_t M, Pt;
};

// Bytes of one block's (or one tile's, for MP/EM/FM) instance of a tensor.
double shape_bytes(Shape s, const Tiles& t) {
  switch (s) {
    case Shape::EP:
      return double(t.E) * t.Pt * t.w;
    case Shape::EM:
      return double(t.E) * t.M0 * t.w;
    case Shape::FM:
      return double(t.F) * t.M0 * t.w;
    case Shape::MP:
      return double(t.M0) * t.P0 * t.w;
    case Shape::P:
      return double(t.Pt) * t.w;
    case Shape::FP:
      return double(t.F) * t.Pt * t.w;
  }
  return 0;
}

// A run of Einsums bound to one array: one stage of the schedule.
struct Run {
  ArrayId array;
  std::vector<const EinsumCost*> einsums;
  bool final = false;
  int stage = -1;
};

struct PassPlan {
  std::string name;
  std::vector<const EinsumCost*> einsums;
  std::vector<Run> runs;
  std::set<std::string> loaded, stored;  // tensors crossing the chip boundary in this pass
  int load_stage = -1, store_stage = -1;
  int phase = 0;  // passes of one phase (kernel) keep intermediates on chip; phases exchange them
                  // through DRAM
  int index = 0;  // position in the plan
};

void check_binding(const Cascade& c, const Mapping& m, const Architecture& a) {
  std::vector<std::string> names;
  for (const auto& e : c.einsums) names.push_back(e.name);
  for (const auto& [name, array] : m.binding) {
    if (c.einsum(name)) continue;
    std::string hint = nearest_name(name, names);
    throw Error(m.binding_loc.at(name),
                "mapping '" + m.name + "': binding names Einsum '" + name + "', which cascade '" +
                    c.name + "' does not have" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; its Einsums are " +
                    join_names(names));
  }
  for (const auto& e : c.einsums) {
    auto it = m.binding.find(e.name);
    if (it == m.binding.end())
      throw Error(m.binding_section_loc,
                  "mapping '" + m.name + "': Einsum '" + e.name +
                      "' is not bound; add it to binding.array2d or binding.array1d "
                      "(it is defined at " +
                      e.loc.str() + " of cascade '" + c.name + "')");
    for (Op op : e.needs) {
      bool ok = it->second == ArrayId::A2D ? a.array2d.supports(op) : a.array1d.supports(op);
      if (!ok)
        throw Error(m.binding_loc.at(e.name),
                    "mapping '" + m.name + "': Einsum '" + e.name + "' needs '" + op_name(op) +
                        "' but " + array_name(it->second) + " of architecture '" + a.name +
                        "' has no such op; bind it to the other array or add the op");
    }
    if (it->second == ArrayId::A2D && e.kind == EinsumKind::RowReduce &&
        a.array2d.reduction_network == "column")
      throw Error(m.binding_loc.at(e.name),
                  "mapping '" + m.name + "': Einsum '" + e.name +
                      "' reduces over m0, which lies along a row, but the 2D "
                      "array's reduction_network is 'column'; set it to row or both");
  }
}

std::vector<PassPlan> plan_passes(const Cascade& c, const Mapping& m) {
  std::vector<PassPlan> passes;
  if (m.unfused) {
    for (const auto& e : c.einsums) {
      if (e.block_final && !passes.empty()) {
        passes.back().einsums.push_back(&e);  // a final division stays with the last phase
        continue;
      }
      PassPlan p;
      p.name = e.name;
      p.einsums.push_back(&e);
      p.phase = static_cast<int>(passes.size());
      passes.push_back(p);
    }
  } else if (m.kernels) {
    // One kernel per run of consecutive Einsums bound to one array (QK | softmax | AV);
    // a kernel spanning several passes of the cascade keeps its rows on chip between them.
    int phase = -1, pass = 0;
    ArrayId array = ArrayId::A2D;
    for (const auto& e : c.einsums) {
      if (e.block_final && !passes.empty()) {
        passes.back().einsums.push_back(&e);
        continue;
      }
      ArrayId a = m.binding.at(e.name);
      if (phase < 0 || a != array) ++phase, array = a, pass = 0;
      if (e.pass != pass) {
        pass = e.pass;
        PassPlan p;
        p.name = "k" + std::to_string(phase + 1) + ".pass" + std::to_string(e.pass);
        p.phase = phase;
        passes.push_back(p);
      }
      passes.back().einsums.push_back(&e);
    }
  } else {
    passes.resize(static_cast<std::size_t>(c.passes));
    for (int i = 0; i < c.passes; ++i) passes[i].name = "pass" + std::to_string(i + 1);
    for (const auto& e : c.einsums)
      passes[static_cast<std::size_t>(e.pass - 1)].einsums.push_back(&e);
  }
  for (auto& p : passes) {
    for (const EinsumCost* e : p.einsums) {
      ArrayId a = m.binding.at(e->name);
      if (e->block_final || p.runs.empty() || p.runs.back().array != a || p.runs.back().final)
        p.runs.push_back(Run{a, {}, e->block_final, -1});
      p.runs.back().einsums.push_back(e);
    }
  }
  return passes;
}

}  // namespace

namespace {
CompiledMapping compile_fixed(const Architecture& arch, const Mapping& m, const Workload& wl);
}

CompiledMapping compile_mapping(const Architecture& arch, const Mapping& m, const Workload& wl) {
  if (m.P1 > 0) return compile_fixed(arch, m, wl);
  // P1 = auto: the most K/V reuse whose resident state fits; the last try reports the error.
  for (int p1 = 16;; p1 /= 2) {
    Mapping fixed = m;
    fixed.P1 = p1;
    try {
      return compile_fixed(arch, fixed, wl);
    } catch (const Error&) {
      if (p1 == 1) throw;
    }
  }
}

namespace {

CompiledMapping compile_fixed(const Architecture& arch, const Mapping& m, const Workload& wl) {
  if (!m.costs)
    throw Error(m.loc,
                "mapping '" + m.name + "' has no cascade; set `cascade:` to a .cascade file");
  const Cascade& c = *m.costs;
  check_binding(c, m, arch);
  if (wl.seq < 1 || wl.E < 1 || wl.F < 1 || wl.heads < 1 || wl.batch < 1)
    throw Error("workload '" + wl.model + "': seq, E, F, heads and batch must all be >= 1");

  CompiledMapping out;
  const std::int64_t R = arch.array2d.rows, C = arch.array2d.cols, K = arch.array1d.pes;
  Tiles t;
  t.E = wl.E;
  t.F = wl.F;
  t.w = arch.word_bytes;
  t.M = wl.seq;
  t.M0 = static_cast<int>(std::min<std::int64_t>(m.M0 ? m.M0 : C, wl.seq));
  t.P0 = static_cast<int>(std::min<std::int64_t>(m.P0 ? m.P0 : R, wl.seq));
  out.M1 = ceil_div(wl.seq, t.M0);
  t.P1 = static_cast<int>(std::min<std::int64_t>(m.P1, ceil_div(wl.seq, t.P0)));
  t.Pt = std::int64_t(t.P1) * t.P0;
  out.P2 = ceil_div(wl.seq, t.Pt);
  out.M0 = t.M0;
  out.P0 = t.P0;
  out.P1 = t.P1;
  out.blocks_total = saturating_mul(saturating_mul(wl.batch, wl.heads), out.P2);

  std::vector<PassPlan> passes = plan_passes(c, m);
  for (std::size_t p = 0; p < passes.size(); ++p) passes[p].index = static_cast<int>(p);
  std::map<std::string, int> producer;  // tensor -> pass index
  std::map<std::string, int> last_consumer;
  for (std::size_t p = 0; p < passes.size(); ++p)
    for (const EinsumCost* e : passes[p].einsums) producer[e->writes] = static_cast<int>(p);
  for (std::size_t p = 0; p < passes.size(); ++p)
    for (const EinsumCost* e : passes[p].einsums)
      for (const auto& r : e->reads)
        last_consumer[r] = std::max(last_consumer.count(r) ? last_consumer[r] : -1, int(p));
  auto crosses = [&](const std::string& tensor, int p) {  // produced before p, read in p
    auto it = producer.find(tensor);
    return it != producer.end() && it->second < p;
  };
  // A tensor read in another phase than the one producing it goes through DRAM whole.
  std::set<std::string> via_dram;
  for (std::size_t p = 0; p < passes.size(); ++p)
    for (const EinsumCost* e : passes[p].einsums)
      for (const auto& r : e->reads)
        if (producer.count(r) &&
            passes[static_cast<std::size_t>(producer[r])].phase != passes[p].phase)
          via_dram.insert(r);
  // A kernel (phase) that loads another kernel's tensor keeps it on chip for its later passes
  // (spilling what does not fit, like its own rows): passes [first, last] of the phase read it.
  std::map<std::pair<std::string, int>, std::pair<int, int>> kept;  // (tensor, phase) -> passes
  for (std::size_t p = 0; p < passes.size(); ++p)
    for (const EinsumCost* e : passes[p].einsums)
      for (const auto& r : e->reads)
        if (producer.count(r) &&
            passes[static_cast<std::size_t>(producer[r])].phase != passes[p].phase) {
          auto key = std::make_pair(r, passes[p].phase);
          auto it = kept.find(key);
          if (it == kept.end())
            kept[key] = {int(p), int(p)};
          else
            it->second.second = int(p);
        }
  // Fraction of an MP tile of `name` that pass `p` reads from DRAM, given spill fraction f.
  auto load_factor = [&](const std::string& name, int p, double f) {
    const int phase = passes[static_cast<std::size_t>(p)].phase;
    if (passes[static_cast<std::size_t>(producer[name])].phase == phase) return f;
    return kept.at({name, phase}).first == p ? 1.0 : f;
  };

  // --- buffer plan ----------------------------------------------------------------------
  for (const auto& ti : c.tensors) {
    bool cross = producer.count(ti.name) && last_consumer.count(ti.name) &&
                 last_consumer[ti.name] > producer[ti.name];
    if (ti.role == Role::Input && ti.shape == Shape::EP)
      out.resident_bytes += shape_bytes(ti.shape, t);
    if (ti.role == Role::State || ti.role == Role::Output)
      out.resident_bytes += shape_bytes(ti.shape, t);
    if (!via_dram.count(ti.name) && cross && ti.shape != Shape::MP)
      out.resident_bytes += shape_bytes(ti.shape, t);
  }
  {
    // Whole rows (Pt × M) of every score tensor live across a pass boundary.
    int max_live = 0;
    for (std::size_t b = 0; b + 1 < passes.size(); ++b) {
      int live = 0;
      for (const auto& ti : c.tensors)
        if (ti.shape == Shape::MP && !via_dram.count(ti.name) && producer.count(ti.name) &&
            producer[ti.name] <= int(b) && last_consumer.count(ti.name) &&
            last_consumer[ti.name] > int(b))
          ++live;
      for (const auto& [key, range] : kept)
        if (c.tensor(key.first)->shape == Shape::MP && range.first <= int(b) &&
            range.second > int(b))
          ++live;
      max_live = std::max(max_live, live);
    }
    out.spillable_bytes = double(max_live) * double(t.Pt) * double(t.M) * t.w;
  }

  // --- stages -----------------------------------------------------------------------------
  Schedule& s = out.schedule;
  s.unit_names = {"dram", "array2d", "array1d"};
  s.unit_kinds = {UnitKind::Dram, UnitKind::Array2D, UnitKind::Array1D};
  auto unit_of = [](ArrayId a) { return a == ArrayId::A2D ? 1 : 2; };
  int max_skew_2d = 0;
  for (std::size_t p = 0; p < passes.size(); ++p) {
    PassPlan& pp = passes[p];
    const int pi = static_cast<int>(p);
    for (const EinsumCost* e : pp.einsums)
      for (const auto& r : e->reads) {
        const TensorInfo* ti = c.tensor(r);
        bool produced_here = producer.count(r) && producer[r] == pi;
        if (produced_here) continue;
        if (ti->role == Role::Input || crosses(r, pi)) pp.loaded.insert(r);
      }
    for (const EinsumCost* e : pp.einsums) {
      const TensorInfo* ti = c.tensor(e->writes);
      bool later = last_consumer.count(e->writes) && last_consumer[e->writes] > pi;
      if (ti->role == Role::Output || later) pp.stored.insert(e->writes);
    }
    pp.load_stage = static_cast<int>(s.stages.size());
    s.stages.push_back(StageDef{pp.name + ".load", 0, pi, 0});
    for (std::size_t r = 0; r < pp.runs.size(); ++r) {
      Run& run = pp.runs[r];
      int u = unit_of(run.array);
      int skew = 0;  // set by software pipelining below
      std::string names;
      for (const EinsumCost* e : run.einsums) names += (names.empty() ? "" : "+") + e->name;
      run.stage = static_cast<int>(s.stages.size());
      s.stages.push_back(StageDef{pp.name + "." + names, u, pi, skew});
    }
    pp.store_stage = static_cast<int>(s.stages.size());
    s.stages.push_back(StageDef{pp.name + ".store", 0, pi, kStoreLag});
  }

  // --- work per (pass, flags, stage) -------------------------------------------------------
  const double bpc = arch.dram_bytes_per_cycle();
  // Bytes DRAM moves for a pass in an epoch with `flags`; `staged_only` leaves out Q, which
  // is counted as resident rather than as a staged tile.
  auto dram_bytes = [&](const PassPlan& pp, int flags, bool load, double f,
                        bool staged_only = false) {
    double bytes = 0;
    for (const auto& name : load ? pp.loaded : pp.stored) {
      const TensorInfo* ti = c.tensor(name);
      if (ti->role == Role::Input) {
        if (ti->shape == Shape::EP && (flags & kFirst) && !staged_only)
          bytes += shape_bytes(ti->shape, t);
        if ((ti->shape == Shape::EM || ti->shape == Shape::FM) && (flags & kChunkStart))
          bytes += shape_bytes(ti->shape, t);
        continue;
      }
      if (ti->role == Role::Output && !load) {
        if (flags & kLast) bytes += shape_bytes(ti->shape, t);
        continue;
      }
      if (ti->shape == Shape::MP) {
        const double share = load ? load_factor(name, pp.index, f) : via_dram.count(name) ? 1.0 : f;
        bytes += share * shape_bytes(ti->shape, t);
      } else if (via_dram.count(name) && (flags & (load ? kFirst : kLast))) {
        bytes += shape_bytes(ti->shape, t);
      }
    }
    return bytes;
  };
  // Without interleaving, a 2D array that alternates between Einsums of different runs must
  // drain one before filling the next; consecutive tiles of one Einsum stream back to back.
  auto run_work = [&](const Run& run, int flags, bool switches) {
    StageWork w;
    if (run.final && !(flags & kLast)) return w;
    const bool is2d = run.array == ArrayId::A2D;
    const bool pipelined = is2d ? arch.array2d.pipelined : arch.array1d.pipelined;
    Cycle cycles = 0, fill = 0, depth = 0;
    double busy = 0;
    for (const EinsumCost* e : run.einsums) {
      std::int64_t pts = e->space == Shape::MP ? std::int64_t(t.M0) * t.P0
                         : e->space == Shape::P
                             ? (e->block_final ? t.Pt : t.P0)
                             : std::int64_t(t.F) * (e->block_final ? t.Pt : t.P0);
      // A sequential PE spends a cycle per op; a pipelined one issues a point per cycle and
      // its results appear `ops` cycles later.
      const std::int64_t ops = e->ops(t.E, t.F, arch.exp_ops(), arch.exp_fuses_argument);
      const std::int64_t slots = pipelined ? e->issues(t.E, t.F) : ops;
      // Saturating: a mapping too large to time is reported by Schedule::validate.
      cycles = saturating_add(cycles, saturating_mul(slots, ceil_div(pts, is2d ? R * C : K)));
      busy += double(slots) * double(pts);
      if (pipelined) depth = std::max<Cycle>(depth, ops - slots);
      if (is2d) fill = std::max(fill, fill_2d(e->kind, R, C));
    }
    w.active = cycles > 0;
    w.latency = std::max<Cycle>(1, saturating_add(saturating_add(cycles, fill), depth));
    w.ii = std::max<Cycle>(1, cycles);
    w.switch_fill = is2d && switches && !m.interleave ? fill : 0;
    w.busy_pe_cycles = busy;
    return w;
  };
  auto dram_work = [&](double bytes) {
    StageWork w;
    if (bytes <= 0) return w;
    w.active = true;
    w.bytes = bytes;
    // Past kMaxTime the cast would be undefined; Schedule::validate reports the stage.
    const double cycles = std::ceil(bytes / bpc);
    w.ii = cycles < static_cast<double>(kMaxTime) ? std::max<Cycle>(1, static_cast<Cycle>(cycles))
                                                  : kMaxTime;
    w.latency = w.ii + arch.dram_latency_cycles;
    return w;
  };

  auto tensor_bytes_between = [&](const Run& a, const Run& b) {
    double bytes = 0;
    for (const EinsumCost* e : a.einsums)
      for (const EinsumCost* r : b.einsums)
        if (std::count(r->reads.begin(), r->reads.end(), e->writes)) {
          Shape sh = c.tensor(e->writes)->shape;  // one tile's worth: P0 queries, not Pt
          bytes += sh == Shape::P    ? double(t.P0) * t.w
                   : sh == Shape::FP ? double(t.F) * t.P0 * t.w
                                     : shape_bytes(sh, t);
          break;
        }
    return bytes;
  };
  // --- software pipelining ---------------------------------------------------------------
  // A stage fed by another unit's stage is issued enough epochs behind it that the
  // producer's latency (fill, steady state, drain) has elapsed by the time the consumer's
  // unit gets to it: skew(dst) >= skew(src) + ceil((latency(src) + hop) / period), where the
  // period is the busiest unit's work per epoch. Stages of one unit keep program order.
  // Passes of one block run back to back, and a pass reads reductions of the previous one
  // (FLAT's SN reads GM, complete only after GM's last tile). A unit's stages therefore
  // start each pass no less skewed than its stages of the passes before: with per-pass skews
  // from 0, FLAT's 1D array ran SN of a row's first tiles before GM of its last ones, which
  // costs nothing while the 1D array is busy but hid up to `skew` tiles of SN inside the waits
  // for QK when the 2D array is the slower one in pass 1 (the PE level showed it: 31 cycles
  // on 4x4, E = 64). A unit's floor carries from pass to pass.
  std::map<int, int> unit_floor;
  max_skew_2d = 0;
  int max_skew = 0;
  for (const PassPlan& pp : passes) {
    if (!m.pipeline_epochs) break;
    int runs_2d = 0;
    for (const Run& r : pp.runs) runs_2d += r.array == ArrayId::A2D && !r.final;
    std::vector<StageWork> w;
    std::map<int, Cycle> ii_per_epoch;
    for (const Run& r : pp.runs) {
      w.push_back(run_work(r, kChunkStart, runs_2d > 1));
      ii_per_epoch[unit_of(r.array)] += w.back().ii + w.back().switch_fill;  // steady state
    }
    Cycle period = 1;
    for (const auto& [u, ii] : ii_per_epoch) period = std::max(period, ii);
    std::map<int, int> next_floor = unit_floor;
    for (std::size_t j = 0; j < pp.runs.size(); ++j) {
      const int uj = unit_of(pp.runs[j].array);
      int skew = unit_floor.count(uj) ? unit_floor[uj] : 0;
      for (std::size_t i = 0; i < j; ++i) {
        const int si = s.stages[pp.runs[i].stage].skew;
        if (unit_of(pp.runs[i].array) == uj) {
          skew = std::max(skew, si);
        } else if (tensor_bytes_between(pp.runs[i], pp.runs[j]) > 0 || i + 1 == j) {
          skew =
              std::max<int>(skew, si + static_cast<int>((w[i].latency + 1 + period - 1) / period));
        }
      }
      s.stages[pp.runs[j].stage].skew = skew;
      next_floor[uj] = std::max(next_floor[uj], skew);
      max_skew = std::max(max_skew, skew);
      if (uj == 1) max_skew_2d = std::max(max_skew_2d, skew);
    }
    // Phases (kernels, unfused Einsums) are separated by barriers, not by skew.
    const bool next_phase =
        pp.index + 1 < static_cast<int>(passes.size()) && passes[pp.index + 1].phase != pp.phase;
    if (!next_phase) unit_floor = next_floor;
  }
  if (!m.pipeline_epochs)
    for (auto& st : s.stages)
      if (st.unit != 0) st.skew = 0;
  // DRAM serves the stores of an epoch after the loads of a later one; the lag must exceed
  // every array's skew, or DRAM would wait for a store that waits for a later load.
  for (auto& st : s.stages)
    if (st.unit == 0 && st.skew > 0) st.skew = static_cast<int>(kStoreLag) + max_skew;
  out.pipeline_depth = max_skew;
  int min_skew_2d = max_skew_2d;
  for (const auto& st : s.stages)
    if (st.unit == 1) min_skew_2d = std::min(min_skew_2d, st.skew);
  max_skew_2d -= min_skew_2d;
  // Each epoch in flight on the 2D array keeps one score per PE, plus SLN and a partial sum.
  out.registers_needed = max_skew_2d + 2;
  if (out.registers_needed > arch.array2d.register_file_entries)
    throw Error(m.loc, "mapping '" + m.name + "' keeps " + std::to_string(out.registers_needed) +
                           " values per 2D PE live (pipeline depth " + std::to_string(max_skew) +
                           "), but register_file_entries is " +
                           std::to_string(arch.array2d.register_file_entries) +
                           "; lower pipeline_epochs or enlarge the register file");

  // --- edges --------------------------------------------------------------------------------
  std::map<int, Cycle> stage_flight;  // array stage -> tiles in flight
  auto add_edge = [&](int src, int dst, bool barrier, Cycle depth, double bytes) {
    EdgeDef d;
    d.src = src;
    d.dst = dst;
    d.barrier = barrier;
    d.depth = depth;
    d.token_bytes = bytes;
    d.primed = s.stages[src].unit > s.stages[dst].unit;
    // A consumer issued k epochs behind its producer needs k more slots, or both stall;
    // a producer with latency > II has several tiles in flight, which need slots too.
    d.depth += std::max(0, s.stages[dst].skew - s.stages[src].skew);
    if (stage_flight.count(src)) d.depth += stage_flight[src];
    s.edges.push_back(d);
  };
  std::vector<double> spill_slope;  // per edge: token bytes per unit of spill fraction
  for (const PassPlan& pp : passes) {
    int runs_2d = 0;
    for (const Run& r : pp.runs) runs_2d += r.array == ArrayId::A2D && !r.final;
    for (const Run& r : pp.runs) {
      StageWork w = run_work(r, kLast | kChunkStart, runs_2d > 1);
      stage_flight[r.stage] = w.active ? in_flight_tiles(w.ii + w.switch_fill, w.latency) : 0;
    }
  }
  for (std::size_t p = 0; p < passes.size(); ++p) {
    const PassPlan& pp = passes[p];
    // Token sizes of the DRAM edges are affine in the spill fraction f: b0 + f * b1.
    double load0 = 0, load1 = 0, store0 = 0, store1 = 0;
    for (int flags = 0; flags < 8; ++flags) {
      double l0 = dram_bytes(pp, flags, true, 0.0, true),
             s0 = dram_bytes(pp, flags, false, 0.0, true);
      load0 = std::max(load0, l0);
      store0 = std::max(store0, s0);
      load1 = std::max(load1, dram_bytes(pp, flags, true, 1.0, true) - l0);
      store1 = std::max(store1, dram_bytes(pp, flags, false, 1.0, true) - s0);
    }
    for (std::size_t i = 0; i < pp.runs.size(); ++i) {
      const Run& ri = pp.runs[i];
      bool reads_loaded = false, writes_stored = false;
      for (const EinsumCost* e : ri.einsums) {
        for (const auto& r : e->reads) reads_loaded = reads_loaded || pp.loaded.count(r);
        writes_stored = writes_stored || pp.stored.count(e->writes);
      }
      if (reads_loaded) {
        add_edge(pp.load_stage, ri.stage, false, kStageDepth, load0);
        spill_slope.resize(s.edges.size(), 0.0);
        spill_slope.back() = load1;
      }
      if (writes_stored) {
        add_edge(ri.stage, pp.store_stage, false, kStageDepth, store0);
        spill_slope.resize(s.edges.size(), 0.0);
        spill_slope.back() = store1;
      }
      for (std::size_t j = i + 1; j < pp.runs.size(); ++j) {
        const Run& rj = pp.runs[j];
        if (s.stages[ri.stage].unit == s.stages[rj.stage].unit) continue;
        double bytes = tensor_bytes_between(ri, rj);
        if (bytes > 0 || j == i + 1) add_edge(ri.stage, rj.stage, false, kStageDepth, bytes);
      }
    }
    const PassPlan& next = passes[(p + 1) % passes.size()];
    if (passes.front().phase != passes.back().phase && next.phase != pp.phase) {
      // A phase starts its loads only when the previous phase has computed everything.
      add_edge(pp.runs.back().stage, next.load_stage, true, kStageDepth, 0);
    }
  }
  // The buffer reserves every FIFO's full capacity (depth x token bytes), so the measured
  // peak can never exceed it. Tokens that carry spilled rows grow with the spill fraction
  // f, so f solves  f = 1 - (cap - fixed - f * slope) / spillable,  clamped to [0, 1].
  spill_slope.resize(s.edges.size(), 0.0);
  double slope = 0;
  for (std::size_t e = 0; e < s.edges.size(); ++e) {
    out.staging_bytes += double(s.edges[e].depth) * s.edges[e].token_bytes;
    slope += double(s.edges[e].depth) * spill_slope[e];
  }
  const double cap = double(arch.global_buffer_bytes);
  const double fixed = out.resident_bytes + out.staging_bytes;
  if (fixed > cap)
    throw Error(m.loc,
                "mapping '" + m.name + "' needs " + std::to_string(static_cast<long long>(fixed)) +
                    " bytes of global buffer for Q, running state, outputs and staging (P1 = " +
                    std::to_string(t.P1) + ", " + wl.model + ", seq " + std::to_string(wl.seq) +
                    "), but architecture '" + arch.name + "' has global_buffer_bytes = " +
                    std::to_string(arch.global_buffer_bytes) + "; lower partition.P1");
  if (out.spillable_bytes > 0) {
    double f = 1.0 - (cap - fixed) / out.spillable_bytes;
    if (f > 0)
      f = slope >= out.spillable_bytes ? 1.0
                                       : std::min(1.0, f / (1.0 - slope / out.spillable_bytes));
    out.spill_fraction = std::max(0.0, f);
    out.kept_bytes = out.spillable_bytes * (1.0 - out.spill_fraction);
    for (std::size_t e = 0; e < s.edges.size(); ++e)
      s.edges[e].token_bytes += out.spill_fraction * spill_slope[e];
    out.staging_bytes += out.spill_fraction * slope;
  }

  s.passes.resize(passes.size());
  for (std::size_t p = 0; p < passes.size(); ++p) {
    const PassPlan& pp = passes[p];
    PassDef& pd = s.passes[p];
    pd.name = pp.name;
    pd.epochs = saturating_mul(out.M1, t.P1);
    pd.chunk_period = t.P1;
    for (int flags = 0; flags < 8; ++flags) {
      auto& work = pd.work[static_cast<std::size_t>(flags)];
      work.assign(s.stages.size(), StageWork{});
      work[static_cast<std::size_t>(pp.load_stage)] =
          dram_work(dram_bytes(pp, flags, true, out.spill_fraction));
      work[static_cast<std::size_t>(pp.store_stage)] =
          dram_work(dram_bytes(pp, flags, false, out.spill_fraction));
      int runs_2d = 0;
      for (const Run& r : pp.runs) runs_2d += r.array == ArrayId::A2D && !r.final;
      for (const Run& r : pp.runs)
        work[static_cast<std::size_t>(r.stage)] = run_work(r, flags, runs_2d > 1);
    }
  }
  s.blocks = out.blocks_total;
  s.validate();
  return out;
}

}  // namespace

}  // namespace streamsim::spatial
