#include "sim/cli/sweep_results.h"

#include "sim/cli/sweep_files.h"
#include "sim/report/output_file.h"

namespace streamsim::sweep {
namespace {

std::string csv_field(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_field(v.get<std::string>());
  return csv_field(v.dump());
}

// A deadlock's explanation is several lines; the CSV keeps its first line (the JSON has all).
std::string first_line(const Json& v) {
  if (!v.is_string()) return "";
  std::string s = v.get<std::string>();
  return s.substr(0, s.find('\n'));
}

}  // namespace

std::string results_csv(const std::vector<std::string>& param_names, const std::vector<Json>& records) {
  std::string out = "id";
  for (const auto& n : param_names) out += "," + csv_field(n);
  out += ",engine,status,outcome,cycles,total_buffer,config_sha256,reason\n";
  for (const auto& r : records) {
    out += csv_field(r.value("id", ""));
    const Json& params = r["parameters"];
    for (const auto& n : param_names) out += "," + (params.contains(n) ? cell(params[n]) : std::string());
    out += "," + cell(r["engine"]) + "," + cell(r["status"]) + "," + cell(r["outcome"]) + "," +
           cell(r.value("cycles", Json())) + "," + cell(r.value("total_buffer", Json())) + "," +
           cell(r["config"].value("sha256", "")) + "," + csv_field(first_line(r.value("reason", Json()))) + "\n";
  }
  return out;
}

std::string results_json(const ResultsSummary& s, const std::vector<Json>& records) {
  std::size_t failed = 0;
  for (const auto& r : records) failed += record_ok(r) ? 0 : 1;
  Json j;
  j["format"] = "streamsim-sweep-results";
  j["study"] = Json{{"path", s.study_path}, {"sha256", s.study_sha256}};
  j["scope"] = s.scope;
  j["parameters"] = s.param_names;
  j["points_done"] = records.size();
  j["points_ok"] = records.size() - failed;
  j["points_failed"] = failed;
  j["missing"] = s.missing;
  if (!s.duplicates.empty()) j["duplicates"] = s.duplicates;
  j["points"] = records;
  return j.dump(1) + "\n";
}

void write_results(const std::string& dir, const ResultsSummary& summary, const std::vector<Json>& records) {
  write_output_file(dir + "/results.csv", results_csv(summary.param_names, records));
  write_output_file(dir + "/results.json", results_json(summary, records));
}

Json make_manifest(const Study& study, const Shard& shard, const std::string& engine) {
  Json m;
  m["format"] = "streamsim-sweep-manifest";
  m["study"] = Json{{"path", study.path}, {"sha256", study.sha256}};
  m["engine"] = engine;
  m["shard"] = std::to_string(shard.index) + "/" + std::to_string(shard.count);
  m["parameters"] = study.param_names;
  Json ids = Json::array();
  for (const auto& p : study.points) ids.push_back(p.id);
  m["all_points"] = ids;
  return m;
}

}  // namespace streamsim::sweep
