// `streamsim spatial MAPPING.yaml --arch ARCH.yaml --seq N`: one point of the spatial-array
// study (docs/spatial.md): cycles, 2D/1D utilization, peak global buffer, DRAM traffic.
#include <cctype>
#include <iomanip>
#include <iostream>
#include <memory>

#include "graphs/spatial/pe_mapping.h"
#include "graphs/spatial/study.h"
#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/cli/spatial_sweep.h"
#include "sim/core/error.h"
#include "sim/report/output_file.h"

namespace streamsim::cli {

namespace {

struct SpatialArgs {
  std::string mapping, arch, model = "BERT", engine = "fast", json, level = "tile";
  std::int64_t seq = 0;
  int batch = 64, heads = 0, E = 0, F = 0;
  std::int64_t max_simulated_epochs = spatial::SimOptions{}.max_simulated_epochs;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// --model picks one of the paper's models (case-insensitive) for its heads and sizes;
// --heads/--E/--F override them (or describe a model of another name).
spatial::Workload workload(const SpatialArgs& a) {
  spatial::Workload w;
  bool known = false;
  std::vector<std::string> names;
  for (const auto& m : spatial::paper_models()) {
    names.push_back(m.name);
    if (lower(m.name) != lower(a.model)) continue;
    known = true;
    w.model = m.name;
    w.heads = m.heads;
    w.E = m.E;
    w.F = m.F;
  }
  if (!known) {
    if (!a.heads || !a.E)
      throw Error("spatial: unknown --model '" + a.model + "' (known: " + join_names(names) +
                  "); for another model give --heads and --E (and --F if it differs from E)");
    w.model = a.model;
  }
  if (a.heads) w.heads = a.heads;
  if (a.E) w.E = a.E;
  if (a.F)
    w.F = a.F;
  else if (a.E && !known)
    w.F = a.E;
  w.batch = a.batch;
  w.seq = a.seq;
  return w;
}

std::string bytes_text(double b) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(2);
  if (b >= 1 << 30)
    os << b / double(1 << 30) << " GiB";
  else if (b >= 1 << 20)
    os << b / double(1 << 20) << " MiB";
  else if (b >= 1 << 10)
    os << b / double(1 << 10) << " KiB";
  else
    os << std::setprecision(0) << b << " B";
  return os.str();
}

void print_text(const spatial::SpatialResult& r, const spatial::Architecture& arch,
                const spatial::Workload& w) {
  std::cout << "spatial: mapping " << r.mapping << " on " << r.architecture << ", " << w.model
            << " (H=" << w.heads << ", E=" << w.E << ", F=" << w.F << "), batch " << r.batch
            << ", seq " << r.seq << "\n"
            << std::fixed << std::setprecision(0) << "  cycles           " << r.cycles
            << std::setprecision(6) << " (" << r.seconds << " s at " << std::defaultfloat
            << arch.clock_ghz << " GHz)\n"
            << std::fixed << std::setprecision(1) << "  2D utilization   " << 100 * r.util_2d
            << " %  (" << arch.array2d.rows << "x" << arch.array2d.cols << " PEs)\n"
            << "  1D utilization   " << 100 * r.util_1d << " %  (" << arch.array1d.pes << " PEs)\n"
            << "  DRAM utilization " << 100 * r.util_dram << " %\n"
            << "  peak buffer      " << bytes_text(r.peak_buffer_bytes) << " of "
            << bytes_text(double(arch.global_buffer_bytes)) << "\n"
            << "  DRAM traffic     " << bytes_text(r.dram_bytes) << std::setprecision(3)
            << "  (spill fraction " << r.spill_fraction << ")\n"
            << "  tiles            M0=" << r.M0 << " P0=" << r.P0 << " P1=" << r.P1 << "; "
            << r.blocks_simulated << " of " << r.blocks_total << " blocks simulated"
            << (r.exact ? "" : ", the rest extrapolated") << "\n";
}

// --level pe: one block (batch 1, head 1) on the PE-level model beside the tile-level
// schedule of the same block, overall and per stage (docs/spatial.md).
void print_pe_level(const spatial::PeComparison& c, const spatial::Workload& w) {
  const auto& p = c.plan;
  std::cout << "spatial --level pe: one block, " << p.R << "x" << p.C << " 2D PEs, " << p.K
            << " 1D PEs, E=" << w.E << ", F=" << w.F << ", seq " << w.seq << ", P1=" << p.P1 << ", "
            << p.epochs << " tiles\n"
            << "  stage                 tile-level  PE-level  (busy cycles of the busiest PE)\n";
  for (const auto& s : c.stages)
    std::cout << "  " << std::left << std::setw(22) << s.stage << std::right << std::setw(10)
              << s.tile_busy << std::setw(10) << s.pe_busy << "\n";
  const double rel = 100.0 * (double(c.tile_cycles) - double(c.pe_cycles)) / double(c.pe_cycles);
  std::cout << "  " << std::left << std::setw(22) << "total cycles" << std::right << std::setw(10)
            << c.tile_cycles << std::setw(10) << c.pe_cycles << "  (tile - PE: " << std::fixed
            << std::setprecision(2) << rel << " %)\n"
            << "  PE-level AV vs softmax(QK^T)V: max |error| " << std::scientific
            << std::setprecision(1) << c.max_abs_error << "\n";
  if (c.pe_row_bytes > 0)
    std::cout << "  softmax rows in the buffer: tile-level plan " << std::fixed
              << std::setprecision(0) << c.tile_row_bytes << " B, PE-level peak "
              << c.pe_row_bytes << " B\n";
}

}  // namespace

void add_spatial_command(CLI::App& app) {
  auto a = std::make_shared<SpatialArgs>();
  CLI::App* cmd = app.add_subcommand(
      "spatial",
      "run one attention mapping on the spatial-array model (FuseMax, FLAT, ...; docs/spatial.md)");
  cmd->add_option("MAPPING", a->mapping,
                  "mapping file (configs/spatial/fusemax.yaml, flat.yaml, ...)")
      ->required();
  cmd->add_option("--arch", a->arch,
                  "architecture file (configs/spatial/cloud.yaml, edge.yaml, ...)")
      ->required();
  cmd->add_option("--seq", a->seq, "sequence length (M = P)")
      ->required()
      ->check(whole_number_at_least<std::int64_t>(1));
  cmd->add_option("--model", a->model,
                  "BERT, TrXL, T5 or XLM (heads and E, F of the FuseMax paper)")
      ->capture_default_str();
  cmd->add_option("--heads", a->heads, "heads (overrides the model's)")
      ->check(whole_number_at_least<int>(1));
  cmd->add_option("--E", a->E, "query/key size per head (overrides the model's)")
      ->check(whole_number_at_least<int>(1));
  cmd->add_option("--F", a->F, "value size per head (overrides the model's)")
      ->check(whole_number_at_least<int>(1));
  cmd->add_option("--batch", a->batch, "batch")
      ->capture_default_str()
      ->check(whole_number_at_least<int>(1));
  cmd->add_option("--engine", a->engine, "fast or systemc")->capture_default_str();
  cmd->add_option("--max-simulated-epochs", a->max_simulated_epochs,
                  "beyond this many tile epochs, simulate a prefix of blocks and extrapolate")
      ->capture_default_str()
      ->check(whole_number(16, std::int64_t{1} << 40));
  cmd->add_option(
         "--level", a->level,
         "tile: the tile-level model; pe: one block on the PE-level model (every PE a unit) beside "
         "the tile-level one, per stage")
      ->capture_default_str()
      ->check(CLI::IsMember({"tile", "pe"}));
  cmd->add_option("--json", a->json, "also write the figures as JSON to FILE ('-' = stdout only)")
      ->type_name("FILE");
  cmd->callback([a] {
    if (!a->json.empty()) check_output_path(a->json, "--json");
    spatial::Architecture arch = spatial::load_architecture(a->arch);
    spatial::Mapping mapping = spatial::load_mapping(a->mapping);
    spatial::Workload w = workload(*a);
    if (a->level == "pe") {
      print_pe_level(spatial::compare_tile_and_pe(arch, mapping, w, a->engine), w);
      return;
    }
    spatial::SimOptions options;
    options.engine = a->engine;
    options.max_simulated_epochs = a->max_simulated_epochs;
    spatial::SpatialResult r = spatial::simulate(arch, mapping, w, options);
    if (a->json != "-") print_text(r, arch, w);
    if (!a->json.empty()) {
      write_output_file(a->json, spatial_result_json(r).dump(2) + "\n", "--json");
    }
  });
}

}  // namespace streamsim::cli
