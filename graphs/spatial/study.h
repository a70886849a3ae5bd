#pragma once
// The FuseMax utilization study: every mapping × model × sequence length on one
// architecture, as rows of a CSV (cycles, 2D/1D utilization, peak buffer, DRAM traffic).
// CLI-independent: tests and the `streamsim sweep` command call run_study and write_csv.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "graphs/spatial/spatial_sim.h"

namespace streamsim::spatial {

struct ModelSpec {
  std::string name;
  int heads = 12, E = 64, F = 64;
};

struct StudySpec {
  Architecture arch;
  std::vector<Mapping> mappings;
  std::vector<ModelSpec> models;
  int batch = 64;
  std::vector<std::int64_t> seq_lengths;
  SimOptions options;
};

// The paper's four models: BERT (H=12, E=F=64), TrXL (16, 64), T5 (8, 64), XLM (16, 128).
std::vector<ModelSpec> paper_models();

// Reads a study YAML (configs/spatial/study.yaml): architecture and mapping files relative
// to the study file, models, batch, seq_lengths.
StudySpec load_study(const std::string& path);

std::vector<SpatialResult> run_study(const StudySpec& spec);
void write_csv(std::ostream& os, const std::vector<SpatialResult>& rows);

}  // namespace streamsim::spatial
