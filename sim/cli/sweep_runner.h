#pragma once
// Runs a study's points in parallel worker processes (one fork per point), writing each
// point's record atomically as soon as it finishes, and the summary files after each one.
// Restarting the same command skips points with a valid record and redoes the rest; see
// docs/sweeps.md.
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "sim/cli/sweep_study.h"
#include "sim/core/graph.h"

namespace streamsim::sweep {

// Builds the graph a point runs (the config loader with the point's overrides, in the
// binary; tests plug in their own). Runs in the worker process; may throw Error.
using GraphBuilder = std::function<Graph(const StudyPoint&)>;

struct SweepOptions {
  std::string study_path;
  std::string out_dir;
  int jobs = 0;  // 0 = one per CPU
  Shard shard;
  std::optional<double> timeout_seconds;  // overrides the study's `timeout`
  std::optional<Cycle> max_cycles;        // overrides the study's `max_cycles`
  std::string engine;                     // "" = the study's `engine`
  bool retry_failed = false;              // also redo points recorded as failed
  bool progress = false;                  // one line per finished point on `log`
  std::ostream* log = nullptr;            // nullptr = std::cerr
};

struct SweepSummary {
  std::size_t in_scope = 0;    // points of this shard
  std::size_t skipped = 0;     // valid records found from an earlier run
  std::size_t redone = 0;      // records found invalid or stale and run again
  std::size_t ran = 0;         // points run by this invocation
  std::size_t ok = 0, failed = 0;  // over all records in scope, old and new: finished or not
  std::size_t deadlocked = 0, over_max_cycles = 0;  // failed, but results (record_is_result)
  std::size_t errors = 0;      // failed without a result: error, timeout, crash
  std::size_t missing = 0;     // in scope with no record (only after an interruption)
  bool interrupted = false;
  // 0: every point in scope ran to a result (finished, deadlock or max_cycles: all recorded
  // in results.csv); 1: some point ended in an error (or is missing); 130: interrupted.
  int exit_code() const { return interrupted ? 130 : (errors > 0 || missing > 0) ? 1 : 0; }
};

SweepSummary run_sweep(const SweepOptions& options, const GraphBuilder& build);

// The builder the binary uses: the YAML config loader with the point's overrides.
GraphBuilder config_graph_builder();

}  // namespace streamsim::sweep
