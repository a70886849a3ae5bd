#include "graphs/sdpa/sdpa_registry.h"

#include <cerrno>
#include <cstdlib>

#include "graphs/sdpa/sdpa_graph.h"
#include "sim/core/error.h"

namespace streamsim::sdpa {

namespace {

[[noreturn]] void bad_value(const std::string& key, const std::string& value, const std::string& want) {
  throw Error("builtin sdpa: parameter '" + key + "' = '" + value + "' is not " + want);
}

long long to_int(const std::string& key, const std::string& value, long long min) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0) bad_value(key, value, "an integer");
  if (v < min) bad_value(key, value, "an integer >= " + std::to_string(min));
  return v;
}

double to_double(const std::string& key, const std::string& value) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || errno != 0) bad_value(key, value, "a number");
  return v;
}

bool to_bool(const std::string& key, const std::string& value) {
  if (value == "true") return true;
  if (value == "false") return false;
  bad_value(key, value, "true or false");
}

std::vector<std::string> keys() {
  std::vector<std::string> k;
  for (const auto& [name, doc] : sdpa_param_docs()) k.push_back(name);
  return k;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& sdpa_param_docs() {
  static const std::vector<std::pair<std::string, std::string>> docs = {
      {"variant", "naive | naive_stable | reordered (default reordered)"},
      {"N", "sequence length (default 64)"},
      {"D", "head dimension (default 16)"},
      {"heads", "heads processed one after another (default 1)"},
      {"width", "scalar (matmul, a score every D cycles) | vector (D-wide dot, a score per cycle)"},
      {"seed", "seed of the Q, K, V generator (default 1)"},
      {"score_scale", "Q, K uniform in [-sqrt(s), sqrt(s)): larger s, larger score range (default 1)"},
      {"short_depth", "depth of every FIFO but the long ones; 0 = least full-rate depth per FIFO"},
      {"long_depth", "depth of the naive variants' long FIFOs; 0 = derived minimum for full rate"},
      {"check", "compare the output with the double-precision reference (default true)"},
      {"keep", "output values the sink keeps (default 1048576)"},
      {"ii.<unit>", "initiation interval of one unit of the graph"},
      {"latency.<unit>", "latency of one unit of the graph"},
  };
  return docs;
}

SdpaParams parse_sdpa_params(const std::map<std::string, std::string>& params) {
  SdpaParams p;
  for (const auto& [key, value] : params) {
    if (key == "variant") p.variant = parse_variant(value);
    else if (key == "N") p.N = static_cast<int>(to_int(key, value, 1));
    else if (key == "D") p.D = static_cast<int>(to_int(key, value, 1));
    else if (key == "heads") p.heads = static_cast<int>(to_int(key, value, 1));
    else if (key == "width") p.width = parse_width(value);
    else if (key == "seed") p.seed = static_cast<std::uint64_t>(to_int(key, value, 0));
    else if (key == "score_scale") p.score_scale = to_double(key, value);
    else if (key == "short_depth") p.short_depth = to_int(key, value, 0);
    else if (key == "long_depth") p.long_depth = to_int(key, value, 0);
    else if (key == "check") p.check = to_bool(key, value);
    else if (key == "keep") p.keep = static_cast<std::uint64_t>(to_int(key, value, 0));
    else if (key.rfind("ii.", 0) == 0) p.timing[key.substr(3)].ii = to_int(key, value, 1);
    else if (key.rfind("latency.", 0) == 0) p.timing[key.substr(8)].latency = to_int(key, value, 1);
    else {
      std::string msg = "builtin sdpa: unknown parameter '" + key + "'";
      const std::string near = nearest_name(key, keys());
      if (!near.empty()) msg += "; did you mean '" + near + "'?";
      throw Error(msg + " (valid: " + join_names(keys()) + ")");
    }
  }
  return p;
}

Graph build_sdpa(const std::map<std::string, std::string>& params) {
  return build_sdpa_graph(parse_sdpa_params(params));
}

}  // namespace streamsim::sdpa
