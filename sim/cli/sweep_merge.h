#pragma once
// `streamsim merge DIR... --out OUT`: combines the output directories of a study's shards
// (or of repeated runs) into one results.csv / results.json, and reports points that are
// missing, present more than once, or whose records are invalid.
#include <iosfwd>
#include <string>
#include <vector>

namespace streamsim::sweep {

struct MergeSummary {
  std::size_t expected = 0;   // points of the study
  std::size_t merged = 0;     // points with a valid record
  std::size_t failed = 0;     // merged points whose status is "failed"
  std::size_t errors = 0;     // of those, points without a result (record_is_result)
  std::vector<std::string> missing;
  std::vector<std::string> duplicates;  // identical records in more than one directory
  std::vector<std::string> conflicts;   // different records for one point
  std::vector<std::string> invalid;     // "DIR/points/X.json: why"
  // 0: complete, consistent, every point a result (finished, deadlock, max_cycles); 1 otherwise.
  int exit_code() const { return missing.empty() && conflicts.empty() && errors == 0 ? 0 : 1; }
};

MergeSummary merge_sweeps(const std::vector<std::string>& dirs, const std::string& out_dir, std::ostream& log);

}  // namespace streamsim::sweep
