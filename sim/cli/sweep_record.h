#pragma once
// One sweep point's result file (DIR/points/<id>.json): what ran (parameters, exact config
// path and SHA-256, engine, tool version, limits), how it ended, and its statistics, sealed
// by a checksum of the rest of the record so that a torn, truncated or edited file is found.
#include <nlohmann/json.hpp>
#include <string>

#include "sim/cli/sweep_study.h"
#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim::sweep {

using Json = nlohmann::ordered_json;

// How a point ended. Everything but Finished has status "failed"; Deadlock and MaxCycles are
// still results (record_is_result), the others are errors.
enum class Outcome { Finished, Deadlock, MaxCycles, Error, Timeout, Crashed };
const char* outcome_name(Outcome o);

// What the point ran with, stamped into its record (and compared on restart: a record made
// with another config content, engine or cycle limit is stale and the point is redone).
struct PointContext {
  std::string study_path, study_sha256;
  std::string config_sha256;  // "" if the config could not be read
  std::string engine;
  Cycle max_cycles = 0;
};
PointContext make_context(const Study& study, const StudyPoint& point, const std::string& engine,
                          Cycle max_cycles);

Json record_from_run(const StudyPoint& point, const PointContext& ctx, const Graph& graph, const RunResult& result);
Json record_failed(const StudyPoint& point, const PointContext& ctx, Outcome outcome,
                   const std::string& reason);

// Adds the checksum field (SHA-256 of the record's serialisation without it) and serialises.
std::string seal_record(Json record);

// How deeply a point record may nest; real records nest 4 levels. Serialising JSON recurses,
// so a record nested a hundred thousand levels deep (a hostile or corrupt file) must be
// refused before its checksum is computed.
constexpr int kMaxRecordDepth = 64;

// Parses a record's text into `out`. Returns "" if it is JSON nested at most kMaxRecordDepth
// levels deep, else why not ("not valid JSON ...", "nested more than 64 levels ...").
std::string parse_record_json(const std::string& text, Json& out);

// Parses and checks a point file's text: JSON, format, checksum, and that it is the record of
// `point` made with `ctx`. Returns "" if valid, else why not (for the "redoing" message).
std::string check_record(const std::string& text, const StudyPoint& point, const PointContext& ctx,
                         Json* out);
// Parses and checks only the format and checksum (for merge, which has no study).
std::string check_record_integrity(const std::string& text, Json* out);

bool record_ok(const Json& record);  // status == "ok"
// The run reached a result: it finished, deadlocked or passed --max-cycles (a deadlock is a
// property of the configuration, recorded like its cycle count). Errors, timeouts and crashes
// are not results: the point says nothing about the configuration.
bool record_is_result(const Json& record);

}  // namespace streamsim::sweep
