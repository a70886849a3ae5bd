#pragma once
// `streamsim sweep` on a spatial study file (`kind: spatial`, docs/spatial.md): every
// (model, sequence length, mapping) point of graphs/spatial's study runner, each written to
// DIR/points/<id>.json as soon as it finishes, then DIR/results.csv and DIR/results.json.
// Like the generic sweep it is resumable (a valid record made from the same input files is
// kept), shardable (--shard) and lists its points (--list). The generic sweep's machinery
// (fork per point, graph records) does not fit: a spatial point is compiled and run by
// graphs/spatial, possibly as two runs extrapolated over blocks.
#include <nlohmann/json.hpp>
#include <string>

#include "graphs/spatial/spatial_sim.h"
#include "sim/cli/sweep_study.h"

namespace streamsim::cli {

struct SpatialSweepOptions {
  std::string study_path, out_dir;
  std::string engine;  // "" = fast
  int jobs = 0;        // threads; 0 = one per CPU
  sweep::Shard shard;
  bool list = false;          // print the points in scope, run nothing
  bool retry_failed = false;  // also rerun points recorded as failed
  bool progress = false;      // a line per finished point on stderr
};

// True if `path` is a YAML map with `kind: spatial` (anything unreadable is left to the
// generic study loader, which reports it).
bool is_spatial_study(const std::string& path);

// Returns the exit status: 0 every point ok, 1 some point failed (or is missing).
int run_spatial_sweep(const SpatialSweepOptions& options);

// A point's figures as JSON (also `streamsim spatial --json`).
nlohmann::ordered_json spatial_result_json(const spatial::SpatialResult& r);

}  // namespace streamsim::cli
