#include "sim/cli/spatial_sweep.h"

#include <yaml-cpp/yaml.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "graphs/spatial/study.h"
#include "sim/cli/sweep_files.h"
#include "sim/cli/sweep_record.h"
#include "sim/cli/sweep_sha256.h"
#include "sim/config/yaml_load.h"
#include "sim/core/error.h"
#include "sim/core/plural.h"
#include "sim/report/output_file.h"

namespace streamsim::cli {

using Json = nlohmann::ordered_json;
using spatial::SpatialResult;

namespace {

constexpr const char* kFormat = "streamsim-spatial-point-1";

struct Point {
  spatial::StudyPoint point;
  std::string id;
  sweep::ParamList params;
  std::string inputs_sha256;  // of everything the point's result depends on
  Json inputs;
};

// What a point's result depends on: the bytes of its architecture, mapping and cascade files,
// the workload and the simulation options. A record with another hash is stale.
Json point_inputs(const spatial::StudySpec& spec, const spatial::StudyPoint& p, const std::string& engine) {
  Json files = Json::object();
  for (const auto& f : spec.mapping_files.at(p.mapping)) files[f] = sweep::sha256_hex(sweep::read_file(f));
  Json in;
  in["files"] = files;
  in["model"] = {{"name", p.model.name}, {"heads", p.model.heads}, {"E", p.model.E}, {"F", p.model.F}};
  in["batch"] = spec.batch;
  in["seq"] = p.seq;
  in["max_simulated_epochs"] = spec.options.max_simulated_epochs;
  in["engine"] = engine;
  in["tool_version"] = STREAMSIM_VERSION;
  return in;
}

std::vector<Point> expand(const spatial::StudySpec& spec, const std::string& engine) {
  std::vector<Point> out;
  std::set<std::string> seen;
  for (const auto& sp : spatial::study_points(spec)) {
    Point p;
    p.point = sp;
    p.params = {{"model", sp.model.name},
                {"seq", std::to_string(sp.seq)},
                {"mapping", spec.mappings[sp.mapping].name},
                {"architecture", spec.arch_of(sp.mapping).name}};
    p.id = sweep::point_id(p.params);
    if (!seen.insert(p.id).second)
      throw Error("spatial study: point " + p.id + " appears twice (two models or mappings share a name); "
                  "give each model and mapping a distinct name");
    p.inputs = point_inputs(spec, sp, engine);
    p.inputs_sha256 = sweep::sha256_hex(p.inputs.dump());
    out.push_back(std::move(p));
  }
  return out;
}

std::string seal(Json record) {
  record.erase("checksum");
  record["checksum"] = "sha256:" + sweep::sha256_hex(record.dump());
  return record.dump(2) + "\n";
}

// "" if `text` is a sealed record of `p` made from the same inputs; else why not.
std::string check_record(const std::string& text, const Point& p, Json* out) {
  Json r;
  std::string why = sweep::parse_record_json(text, r);
  if (!why.empty()) return why;
  if (!r.is_object() || !r.contains("format") || r["format"] != kFormat) return "unknown format";
  for (const char* key : {"checksum", "id", "inputs_sha256"})
    if (!r.contains(key) || !r[key].is_string())
      return std::string("field '") + key + "' is missing or not a string";
  std::string sum = r.value("checksum", "");
  Json body = r;
  body.erase("checksum");
  if (sum != "sha256:" + sweep::sha256_hex(body.dump())) return "checksum mismatch";
  if (r.value("id", "") != p.id) return "it is the record of another point";
  if (r.value("inputs_sha256", "") != p.inputs_sha256) return "its architecture, mapping, cascade or options changed";
  *out = std::move(r);
  return "";
}

SpatialResult result_from_json(const Json& j) {
  SpatialResult r;
  r.architecture = j.at("architecture");
  r.mapping = j.at("mapping");
  r.model = j.at("model");
  r.batch = j.at("batch");
  r.heads = j.at("heads");
  r.seq = j.at("seq");
  r.M0 = j.at("M0");
  r.P0 = j.at("P0");
  r.P1 = j.at("P1");
  r.cycles = j.at("cycles");
  r.seconds = j.at("seconds");
  r.util_2d = j.at("util_2d");
  r.util_1d = j.at("util_1d");
  r.util_dram = j.at("util_dram");
  r.peak_buffer_bytes = j.at("peak_buffer_bytes");
  r.dram_bytes = j.at("dram_bytes");
  r.spill_fraction = j.at("spill_fraction");
  r.blocks_simulated = j.at("blocks_simulated");
  r.blocks_total = j.at("blocks_total");
  r.exact = j.at("exact");
  r.wall_seconds = j.value("wall_seconds", 0.0);
  return r;
}

Json run_one(const spatial::StudySpec& spec, const Point& p, const std::string& study_sha) {
  Json rec;
  rec["format"] = kFormat;
  rec["id"] = p.id;
  Json params = Json::object();
  for (const auto& [k, v] : p.params) params[k] = v;
  params["seq"] = p.point.seq;
  rec["parameters"] = params;
  rec["inputs"] = p.inputs;
  rec["inputs_sha256"] = p.inputs_sha256;
  rec["study_sha256"] = study_sha;
  try {
    rec["result"] = spatial_result_json(spatial::run_point(spec, p.point));
    rec["status"] = "ok";
  } catch (const Error& e) {
    rec["status"] = "failed";
    rec["reason"] = e.what();
  } catch (const std::exception& e) {
    rec["status"] = "failed";
    rec["reason"] = std::string("internal error: ") + e.what();
  }
  return rec;
}

void write_summaries(const std::string& dir, const std::string& study, const std::string& study_sha,
                     const std::vector<Point>& scope, const std::vector<Json>& records) {
  std::vector<SpatialResult> rows;
  Json points = Json::array(), failed = Json::array(), missing = Json::array();
  for (std::size_t i = 0; i < scope.size(); ++i) {
    const Json& r = records[i];
    if (r.is_null()) {
      missing.push_back(scope[i].id);
      continue;
    }
    points.push_back(r);
    if (r.value("status", "") == "ok") rows.push_back(result_from_json(r.at("result")));
    else failed.push_back(scope[i].id);
  }
  std::ostringstream csv;
  spatial::write_csv(csv, rows, /*include_wall=*/false);
  write_output_file(dir + "/results.csv", csv.str());
  Json all;
  all["study"] = study;
  all["study_sha256"] = study_sha;
  all["failed"] = failed;
  all["missing"] = missing;
  all["points"] = points;
  write_output_file(dir + "/results.json", all.dump(2) + "\n");
}

}  // namespace

Json spatial_result_json(const SpatialResult& r) {
  Json j;
  j["architecture"] = r.architecture;
  j["mapping"] = r.mapping;
  j["model"] = r.model;
  j["batch"] = r.batch;
  j["heads"] = r.heads;
  j["seq"] = r.seq;
  j["M0"] = r.M0;
  j["P0"] = r.P0;
  j["P1"] = r.P1;
  j["cycles"] = r.cycles;
  j["seconds"] = r.seconds;
  j["util_2d"] = r.util_2d;
  j["util_1d"] = r.util_1d;
  j["util_dram"] = r.util_dram;
  j["peak_buffer_bytes"] = r.peak_buffer_bytes;
  j["dram_bytes"] = r.dram_bytes;
  j["spill_fraction"] = r.spill_fraction;
  j["blocks_simulated"] = r.blocks_simulated;
  j["blocks_total"] = r.blocks_total;
  j["exact"] = r.exact;
  j["wall_seconds"] = r.wall_seconds;
  return j;
}

bool is_spatial_study(const std::string& path) {
  try {
    // Bounded like every input (an unreadable or hostile file is not a spatial study, and the
    // sweep loader that reads it next names its problem).
    YAML::Node doc = load_yaml_input(path, "study file");
    return doc.IsMap() && doc["kind"] && doc["kind"].IsScalar() && doc["kind"].Scalar() == "spatial";
  } catch (const std::exception&) {
    return false;
  }
}

int run_spatial_sweep(const SpatialSweepOptions& o) {
  spatial::StudySpec spec = spatial::load_study(o.study_path);
  if (!o.engine.empty()) spec.options.engine = o.engine;
  const std::string study_sha = sweep::sha256_hex(sweep::read_file(o.study_path));
  std::vector<Point> scope;
  for (auto& p : expand(spec, spec.options.engine))
    if (sweep::in_shard(p.id, o.shard)) scope.push_back(std::move(p));
  if (o.list) {
    for (const auto& p : scope) {
      std::cout << p.id;
      for (const auto& [k, v] : p.params) std::cout << "\t" << k << "=" << v;
      std::cout << "\n";
    }
    return 0;
  }
  if (o.out_dir.empty()) throw Error("sweep needs --out DIR (where the results go), or --list");
  check_output_folder(o.out_dir, "--out");
  sweep::make_dirs(o.out_dir + "/points");
  sweep::DirLock lock(o.out_dir);
  sweep::remove_temp_files(o.out_dir + "/points");
  sweep::remove_temp_files(o.out_dir);

  std::vector<Json> records(scope.size());
  std::vector<std::size_t> todo;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < scope.size(); ++i) {
    const std::string path = o.out_dir + "/points/" + scope[i].id + ".json";
    if (sweep::file_exists(path)) {
      Json r;
      std::string why = check_record(sweep::read_file(path, "sweep point record"), scope[i], &r);
      if (why.empty() && (r.value("status", "") == "ok" || !o.retry_failed)) {
        records[i] = std::move(r);
        ++kept;
        continue;
      }
      if (!why.empty()) std::cerr << "redoing point " << scope[i].id << ": its record is invalid: " << why << "\n";
    }
    todo.push_back(i);
  }

  // Points are independent simulations: run them on a pool of threads, each writing its
  // record atomically as soon as it finishes.
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::size_t done = 0;
  std::string write_error;
  auto worker = [&] {
    for (std::size_t k = next++; k < todo.size(); k = next++) {
      const std::size_t i = todo[k];
      Json rec = run_one(spec, scope[i], study_sha);
      std::string text = seal(rec);
      std::lock_guard<std::mutex> g(mu);
      try {
        write_output_file(o.out_dir + "/points/" + scope[i].id + ".json", text);
      } catch (const Error& e) {
        write_error = e.what();
      }
      records[i] = Json::parse(text);
      ++done;
      if (o.progress)
        std::cerr << "[" << done << "/" << todo.size() << "] " << scope[i].id << " "
                  << rec.value("status", "") << "\n";
    }
  };
  unsigned jobs = o.jobs > 0 ? static_cast<unsigned>(o.jobs) : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, todo.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < jobs; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (!write_error.empty()) throw Error(write_error);

  write_summaries(o.out_dir, sweep::absolute_path(o.study_path), study_sha, scope, records);
  std::size_t ok = 0;
  std::vector<std::string> failed;
  for (std::size_t i = 0; i < scope.size(); ++i) {
    if (records[i].value("status", "") == "ok") ++ok;
    else failed.push_back(scope[i].id + ": " + records[i].value("reason", "no record"));
  }
  std::cerr << "spatial sweep: " << ok << " ok, " << failed.size() << " failed of "
            << count_of(scope.size(), "point") << " (" << kept << " kept from an earlier run, "
            << todo.size() << " run); results in " << o.out_dir << "/results.csv\n";
  for (const auto& f : failed) std::cerr << "  failed " << f << "\n";
  return failed.empty() ? 0 : 1;
}

}  // namespace streamsim::cli
