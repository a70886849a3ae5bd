#pragma once
// The sweep's summary files, always regenerated from the point records (never appended to,
// so a killed sweep cannot leave them half-updated): results.csv (one row per point, for
// plotting) and results.json (the full records). Also the manifest (sweep.json) that tells
// `streamsim merge` which points a study has in all.
#include <string>
#include <vector>

#include "sim/cli/sweep_record.h"

namespace streamsim::sweep {

// The CSV: id, one column per parameter, engine, status, outcome, cycles, total_buffer,
// config_sha256, reason. Rows in `records` order. Wall time is left out on purpose: the CSV
// of a run must not depend on when or where it ran.
std::string results_csv(const std::vector<std::string>& param_names, const std::vector<Json>& records);

struct ResultsSummary {
  std::string study_path, study_sha256;
  std::string scope;  // "all" or "shard I/N" or "merge of K directories"
  std::vector<std::string> param_names;
  std::vector<std::string> missing;     // ids in scope with no record
  std::vector<std::string> duplicates;  // merge only: ids found in more than one directory
};
std::string results_json(const ResultsSummary& summary, const std::vector<Json>& records);

// Writes DIR/results.csv and DIR/results.json atomically.
void write_results(const std::string& dir, const ResultsSummary& summary, const std::vector<Json>& records);

// The manifest: study path and hash, every point id of the whole study (all shards) in order,
// the parameter names, and the shard this directory holds.
Json make_manifest(const Study& study, const Shard& shard, const std::string& engine);

}  // namespace streamsim::sweep
