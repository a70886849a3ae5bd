#include "graphs/spatial/spatial_sim.h"

#include <algorithm>
#include <chrono>

#include "graphs/spatial/stage_unit.h"
#include "sim/core/error.h"
#include "sim/engines/engine.h"

namespace streamsim::spatial {

Graph build_spatial_graph(std::shared_ptr<const Schedule> schedule) {
  Graph g;
  const Schedule& s = *schedule;
  for (int u = 0; u < static_cast<int>(s.unit_names.size()); ++u)
    g.add_custom_unit(s.unit_names[u], [schedule, u] { return std::make_unique<StageUnit>(schedule, u); });
  for (int e = 0; e < static_cast<int>(s.edges.size()); ++e) {
    const EdgeDef& d = s.edges[e];
    const std::string port = "e" + std::to_string(e);
    int ch = g.connect(s.unit_names[s.stages[d.src].unit] + "." + port,
                       s.unit_names[s.stages[d.dst].unit] + "." + port, ChannelTiming{d.depth, 1, 1}, {},
                       s.stages[d.src].name + "->" + s.stages[d.dst].name);
    if (d.primed) g.set_initial_tokens(ch, {0.0});
  }
  return g;
}

RunResult run_blocks(const CompiledMapping& compiled, std::int64_t blocks, const std::string& engine) {
  auto schedule = std::make_shared<Schedule>(compiled.schedule);
  schedule->blocks = blocks;
  Graph g = build_spatial_graph(schedule);
  RunResult r = make_engine(engine)->run(g);
  if (r.status != RunStatus::Finished)
    throw Error("spatial simulation did not finish (" + std::string(run_status_name(r.status)) + "): " +
                r.deadlock.explain());
  return r;
}

SpatialResult simulate(const Architecture& arch, const Mapping& mapping, const Workload& w,
                       const SimOptions& options) {
  auto start = std::chrono::steady_clock::now();
  CompiledMapping cm = compile_mapping(arch, mapping, w);
  SpatialResult out;
  out.architecture = arch.name;
  out.mapping = mapping.name;
  out.model = w.model;
  out.batch = w.batch;
  out.heads = w.heads;
  out.seq = w.seq;
  out.blocks_total = cm.blocks_total;
  out.spill_fraction = cm.spill_fraction;
  out.M0 = cm.M0;
  out.P0 = cm.P0;
  out.P1 = cm.P1;

  const std::int64_t per_block = cm.schedule.epochs_per_block();
  std::int64_t n = std::max<std::int64_t>(3, options.max_simulated_epochs / std::max<std::int64_t>(1, per_block));
  if (options.max_blocks >= 0) n = std::max<std::int64_t>(1, std::min(n, options.max_blocks));
  n = std::min(n, cm.blocks_total);
  out.blocks_simulated = n;
  out.exact = n == cm.blocks_total;

  RunResult r = run_blocks(cm, n, options.engine);
  double cycles = static_cast<double>(r.cycles);
  if (!out.exact) {
    // Every block is the same work, so after the pipeline's start the run grows by one
    // steady-state period per block: measure it as T(n) − T(n−1).
    RunResult r1 = run_blocks(cm, n - 1, options.engine);
    cycles += double(cm.blocks_total - n) * double(r.cycles - r1.cycles);
  }
  const double scale = double(cm.blocks_total) / double(n);
  auto stage_unit = [&](const std::string& name) { return r.unit_as<StageUnit>(name); };
  out.cycles = cycles;
  out.seconds = cycles / (arch.clock_ghz * 1e9);
  out.util_2d = stage_unit("array2d")->busy_pe_cycles() * scale / (double(arch.array2d.pes()) * cycles);
  out.util_1d = stage_unit("array1d")->busy_pe_cycles() * scale / (double(arch.array1d.pes) * cycles);
  out.dram_bytes = stage_unit("dram")->bytes() * scale;
  out.util_dram = out.dram_bytes / (arch.dram_bytes_per_cycle() * cycles);

  // Peak buffer: what stays resident, the kept part of the spillable rows, and the measured
  // peak of every staging FIFO times the bytes its tokens stand for.
  double staged = 0;
  for (std::size_t e = 0; e < cm.schedule.edges.size(); ++e)
    staged += double(r.channels[e].peak_occupancy) * cm.schedule.edges[e].token_bytes;
  out.peak_buffer_bytes = cm.resident_bytes + cm.kept_bytes + staged;
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace streamsim::spatial
