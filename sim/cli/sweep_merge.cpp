#include "sim/cli/sweep_merge.h"

#include <map>
#include <ostream>

#include "sim/cli/sweep_files.h"
#include "sim/cli/sweep_record.h"
#include "sim/cli/sweep_results.h"
#include "sim/core/error.h"
#include "sim/core/plural.h"
#include "sim/report/output_file.h"

namespace streamsim::sweep {
namespace {

Json read_manifest(const std::string& dir) {
  std::string path = dir + "/sweep.json";
  if (!file_exists(path))
    throw Error("'" + dir + "' is not a sweep output directory (no sweep.json); give the --out directories of "
                "`streamsim sweep`");
  Json m;
  std::string why = parse_record_json(read_file(path, "sweep manifest"), m);
  if (why.empty() && !(m.is_object() && m.contains("study") && m["study"].is_object()))
    why = "not a sweep manifest (no `study` object)";
  if (!why.empty())
    throw Error("'" + path + "': " + why +
                "; rerun the sweep command for that directory to rewrite it");
  return m;
}

// Two runs of one point agree if everything but where/when they ran is equal.
Json comparable(Json r) {
  for (const char* k : {"checksum", "wall_seconds", "study"}) r.erase(k);
  return r;
}

std::string list(const std::vector<std::string>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size() && i < 20; ++i) s += "\n  " + ids[i];
  if (ids.size() > 20) s += "\n  ... and " + std::to_string(ids.size() - 20) + " more";
  return s;
}

}  // namespace

MergeSummary merge_sweeps(const std::vector<std::string>& dirs, const std::string& out_dir, std::ostream& log) {
  if (dirs.empty()) throw Error("merge needs at least one sweep output directory");
  check_output_folder(out_dir, "--out");
  MergeSummary sum;
  Json first = read_manifest(dirs[0]);
  std::map<std::string, std::string> seen_shards;  // shard -> dir
  std::map<std::string, Json> records;
  std::map<std::string, std::string> where;  // id -> dir of the kept record
  for (const auto& dir : dirs) {
    Json m = read_manifest(dir);
    if (m["study"]["sha256"] != first["study"]["sha256"])
      throw Error("'" + dir + "' holds results of another study (or of an edited study file) than '" + dirs[0] +
                  "'; merge only directories of one study");
    for (const auto& name : list_files(dir + "/points", ".json")) {
      std::string path = dir + "/points/" + name;
      Json r;
      std::string why = check_record_integrity(read_file(path, "sweep point record"), &r);
      if (why.empty() && r["id"].get<std::string>() + ".json" != name) why = "file name does not match its id";
      if (!why.empty()) {
        sum.invalid.push_back(path + ": " + why);
        continue;
      }
      std::string id = r["id"];
      auto it = records.find(id);
      if (it == records.end()) {
        records[id] = std::move(r);
        where[id] = dir;
      } else if (comparable(it->second) == comparable(r)) {
        sum.duplicates.push_back(id + " (in " + where[id] + " and " + dir + ")");
      } else {
        sum.conflicts.push_back(id + " (" + where[id] + " and " + dir + " differ)");
      }
    }
  }
  std::vector<Json> rows;
  ResultsSummary rs;
  rs.study_path = first["study"]["path"];
  rs.study_sha256 = first["study"]["sha256"];
  rs.scope = "merge of " + std::to_string(dirs.size()) + " director" + (dirs.size() == 1 ? "y" : "ies");
  rs.param_names = first["parameters"].get<std::vector<std::string>>();
  for (const auto& idj : first["all_points"]) {
    std::string id = idj;
    ++sum.expected;
    auto it = records.find(id);
    if (it == records.end()) {
      sum.missing.push_back(id);
      continue;
    }
    ++sum.merged;
    if (!record_ok(it->second)) ++sum.failed;
    if (!record_is_result(it->second)) ++sum.errors;
    rows.push_back(it->second);
    records.erase(it);
  }
  rs.missing = sum.missing;
  rs.duplicates = sum.duplicates;
  make_dirs(out_dir);
  write_results(out_dir, rs, rows);

  log << "merge: " << sum.merged << " of " << count_of(sum.expected, "point") << " from "
      << count_of(dirs.size(), "directory", "directories") << "; " << sum.failed << " failed ("
      << sum.errors << " of them errors), " << sum.missing.size() << " missing, "
      << sum.duplicates.size() << " duplicate, " << sum.conflicts.size() << " conflicting, "
      << sum.invalid.size() << " invalid; results in " << out_dir << "/results.csv\n";
  if (!sum.missing.empty()) log << "merge: missing points (rerun their shard to complete them):" << list(sum.missing) << "\n";
  if (!sum.duplicates.empty()) log << "merge: duplicate points (identical, kept once):" << list(sum.duplicates) << "\n";
  if (!sum.conflicts.empty()) log << "merge: conflicting points (first kept):" << list(sum.conflicts) << "\n";
  if (!sum.invalid.empty()) log << "merge: invalid records (ignored):" << list(sum.invalid) << "\n";
  if (!records.empty()) {
    std::vector<std::string> extra;
    for (const auto& kv : records) extra.push_back(kv.first);
    log << "merge: records of points not in the study (ignored):" << list(extra) << "\n";
  }
  return sum;
}

}  // namespace streamsim::sweep
