#pragma once
// Run reports: a compact text table for people and a JSON document for programs
// (schema: docs/json-schema.md).
#include <nlohmann/json.hpp>
#include <string>

#include "sim/core/graph.h"
#include "sim/core/run_result.h"

namespace streamsim {

struct ReportContext {
  std::string config;                                   // the file the graph came from, if any
  nlohmann::json params = nlohmann::json::object();     // resolved parameter values
};

std::string text_report(const Graph& graph, const RunResult& result, const ReportContext& context);
nlohmann::json json_report(const Graph& graph, const RunResult& result, const ReportContext& context);

// Version of the JSON layout; bumped when a key changes meaning or disappears.
constexpr int kJsonReportSchemaVersion = 1;

}  // namespace streamsim
