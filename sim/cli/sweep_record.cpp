#include "sim/cli/sweep_record.h"

#include <cmath>

#include "sim/cli/sweep_files.h"
#include "sim/cli/sweep_sha256.h"
#include "sim/report/report.h"

#ifndef STREAMSIM_VERSION
#define STREAMSIM_VERSION "unknown"
#endif

namespace streamsim::sweep {
namespace {

constexpr const char* kFormat = "streamsim-sweep-point";
constexpr int kFormatVersion = 1;

// Parameter values go into JSON as numbers when they read exactly as numbers, so that
// results.json can be plotted without conversion; ids and overrides keep the text.
Json typed_value(const std::string& text) {
  try {
    std::size_t used = 0;
    long long i = std::stoll(text, &used);
    if (used == text.size()) return i;
    double d = std::stod(text, &used);
    if (used == text.size() && std::isfinite(d)) return d;
  } catch (const std::exception&) {
  }
  return text;
}

Json header(const StudyPoint& point, const PointContext& ctx) {
  Json r;
  r["format"] = kFormat;
  r["format_version"] = kFormatVersion;
  r["id"] = point.id;
  Json params = Json::object();
  for (const auto& [k, v] : point.params) params[k] = typed_value(v);
  r["parameters"] = params;
  Json overrides = Json::object();
  for (const auto& [k, v] : point.overrides) overrides[k] = v;
  r["overrides"] = overrides;
  r["config"] = Json{{"path", point.config}, {"sha256", ctx.config_sha256}};
  r["study"] = Json{{"path", ctx.study_path}, {"sha256", ctx.study_sha256}};
  r["engine"] = ctx.engine;
  r["tool_version"] = STREAMSIM_VERSION;
  r["max_cycles"] = ctx.max_cycles;
  return r;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Finished: return "finished";
    case Outcome::Deadlock: return "deadlock";
    case Outcome::MaxCycles: return "max_cycles";
    case Outcome::Error: return "error";
    case Outcome::Timeout: return "timeout";
    case Outcome::Crashed: return "crashed";
  }
  return "?";
}

PointContext make_context(const Study& study, const StudyPoint& point, const std::string& engine,
                          Cycle max_cycles) {
  PointContext c;
  c.study_path = study.path;
  c.study_sha256 = study.sha256;
  c.engine = engine;
  c.max_cycles = max_cycles;
  if (file_exists(point.config)) {
    try {
      c.config_sha256 = sha256_hex(read_file(point.config));
    } catch (const std::exception&) {
    }
  }
  return c;
}

Json record_from_run(const StudyPoint& point, const PointContext& ctx, const Graph& graph, const RunResult& result) {
  Json r = header(point, ctx);
  Outcome o = result.status == RunStatus::Finished   ? Outcome::Finished
              : result.status == RunStatus::Deadlock ? Outcome::Deadlock
                                                     : Outcome::MaxCycles;
  r["status"] = o == Outcome::Finished ? "ok" : "failed";
  r["outcome"] = outcome_name(o);
  std::string reason;
  if (o == Outcome::Deadlock) {
    // A first line that says who waits on what (the CSV and the summary show only it), then
    // the full diagnosis.
    reason = "deadlock at cycle " + std::to_string(result.deadlock.cycle) + ":";
    for (const auto& b : result.deadlock.blocked)
      reason += " '" + b.unit + "' waits for " + (b.waits_for_data ? "data on '" : "space on '") + b.channel +
                (b.waits_for_data ? "'" : "' (" + std::to_string(b.occupancy) + "/" + std::to_string(b.depth) + ")") + ";";
    reason.back() = '\n';
    reason += result.deadlock.explain();
  }
  if (o == Outcome::MaxCycles)
    reason = "stopped at cycle " + std::to_string(result.cycles) + ": over the limit of " +
             std::to_string(ctx.max_cycles) + " cycles (--max-cycles)";
  r["reason"] = reason;
  // The same statistics `streamsim run --json` writes (docs/json-schema.md), less what
  // depends on the host and the moment (wall time, rate): a point's record must be equal
  // whenever and wherever it is rerun, so that reruns and shards can be compared.
  nlohmann::json report = json_report(graph, result, ReportContext{point.config, nlohmann::json::object()});
  report.erase("wall_seconds");
  report.erase("transfers_per_second");
  r["cycles"] = result.cycles;
  // Σ peak occupancy: the intermediate buffer this configuration really needs.
  r["total_buffer"] = report["total_buffer"];
  r["stats"] = Json::parse(report.dump());
  r["wall_seconds"] = result.wall_seconds;
  return r;
}

Json record_failed(const StudyPoint& point, const PointContext& ctx, Outcome outcome, const std::string& reason) {
  Json r = header(point, ctx);
  r["status"] = "failed";
  r["outcome"] = outcome_name(outcome);
  r["reason"] = reason;
  r["cycles"] = nullptr;
  r["total_buffer"] = nullptr;
  r["stats"] = nullptr;
  r["wall_seconds"] = nullptr;
  return r;
}

std::string seal_record(Json record) {
  record.erase("checksum");
  record["checksum"] = "sha256:" + sha256_hex(record.dump());
  return record.dump(1) + "\n";
}

namespace {

struct TooDeep {};  // thrown out of the JSON parser's callback (see parse_record_json)

// The format and checksum of a parsed record, and the types of the fields readers rely on.
std::string check_fields(Json r, Json* out) {
  if (!r.is_object() || r.value("format", "") != kFormat) return "not a streamsim sweep point record";
  if (r.value("format_version", 0) != kFormatVersion) return "record format version differs";
  if (!r.contains("checksum") || !r["checksum"].is_string()) return "no checksum";
  std::string stored = r["checksum"];
  r.erase("checksum");
  if (stored != "sha256:" + sha256_hex(r.dump())) return "checksum mismatch (file was altered or torn)";
  r["checksum"] = stored;
  for (const char* key : {"id", "status", "outcome", "parameters", "engine"})
    if (!r.contains(key)) return std::string("field '") + key + "' missing";
  for (const char* key : {"id", "status", "outcome", "engine"})
    if (!r[key].is_string()) return std::string("field '") + key + "' is not a string";
  if (!r["parameters"].is_object()) return "field 'parameters' is not an object";
  if (out) *out = std::move(r);
  return "";
}

// Whether an intact record is the one of `point` made with `ctx`.
std::string check_identity(Json r, const StudyPoint& point, const PointContext& ctx, Json* out) {
  if (r["id"] != point.id) return "record is for point '" + r["id"].get<std::string>() + "'";
  if (r["engine"] != ctx.engine) return "made with engine '" + r["engine"].get<std::string>() + "'";
  if (r.value("max_cycles", Cycle{-1}) != ctx.max_cycles) return "made with another --max-cycles";
  if (r["config"].value("sha256", "") != ctx.config_sha256) return "the config file changed since";
  if (r["overrides"] != header(point, ctx)["overrides"]) return "made with other overrides";
  if (out) *out = std::move(r);
  return "";
}

}  // namespace

std::string parse_record_json(const std::string& text, Json& out) {
  if (text.empty()) return "empty file";
  try {
    out = Json::parse(text, [](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxRecordDepth) throw TooDeep{};
      return true;
    });
  } catch (const TooDeep&) {
    return "nested more than " + std::to_string(kMaxRecordDepth) +
           " levels deep (not a streamsim record)";
  } catch (const std::exception&) {
    return "not valid JSON (truncated or corrupt)";
  }
  return "";
}

std::string check_record_integrity(const std::string& text, Json* out) {
  Json r;
  std::string why = parse_record_json(text, r);
  if (!why.empty()) return why;
  // A record of the right format but with fields of the wrong JSON type (edited, or not
  // ours) is invalid, not a crash: nlohmann's accessors throw type_error for it.
  try {
    return check_fields(std::move(r), out);
  } catch (const nlohmann::json::exception& e) {
    return std::string("malformed record (") + e.what() + ")";
  }
}

std::string check_record(const std::string& text, const StudyPoint& point, const PointContext& ctx,
                         Json* out) {
  Json r;
  std::string why = check_record_integrity(text, &r);
  if (!why.empty()) return why;
  try {
    return check_identity(std::move(r), point, ctx, out);
  } catch (const nlohmann::json::exception& e) {
    return std::string("malformed record (") + e.what() + ")";
  }
}

bool record_ok(const Json& record) { return record.value("status", "") == "ok"; }

bool record_is_result(const Json& record) {
  const std::string outcome = record.value("outcome", "");
  return outcome == outcome_name(Outcome::Finished) || outcome == outcome_name(Outcome::Deadlock) ||
         outcome == outcome_name(Outcome::MaxCycles);
}

}  // namespace streamsim::sweep
