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
  Architecture arch;               // the study's architecture
  std::vector<Mapping> mappings;
  // Per mapping: the architecture it runs on (a mappings entry {mapping: F, architecture: A},
  // e.g. FLAT on FLAT's own accelerator); empty or a default-constructed name = `arch`.
  std::vector<Architecture> mapping_archs;
  std::vector<ModelSpec> models;
  int batch = 64;
  std::vector<std::int64_t> seq_lengths;
  SimOptions options;
  // Every file the study was built from (study, architectures, mappings, cascades), absolute,
  // in the order read: what a result depends on (the CLI hashes them to detect stale records).
  std::vector<std::string> files;
  // Per mapping: the files its points depend on (architecture, mapping, cascade).
  std::vector<std::vector<std::string>> mapping_files;

  const Architecture& arch_of(std::size_t mapping) const {
    return mapping < mapping_archs.size() ? mapping_archs[mapping] : arch;
  }
};

// One point of a study: a model, a sequence length and a mapping (index into mappings).
struct StudyPoint {
  ModelSpec model;
  std::int64_t seq = 0;
  std::size_t mapping = 0;
};
// The points in study order: models (slowest), then sequence lengths, then mappings.
std::vector<StudyPoint> study_points(const StudySpec& spec);
// Runs one point.
SpatialResult run_point(const StudySpec& spec, const StudyPoint& point);

// The paper's four models: BERT (H=12, E=F=64), TrXL (16, 64), T5 (8, 64), XLM (16, 128).
std::vector<ModelSpec> paper_models();

// Reads a study YAML (configs/spatial/study.yaml): architecture and mapping files relative
// to the study file, models, batch, seq_lengths.
StudySpec load_study(const std::string& path);

std::vector<SpatialResult> run_study(const StudySpec& spec);
// `wall_seconds` (host time) is the last column unless include_wall is false (a sweep's CSV
// must not depend on the host).
void write_csv(std::ostream& os, const std::vector<SpatialResult>& rows, bool include_wall = true);

}  // namespace streamsim::spatial
