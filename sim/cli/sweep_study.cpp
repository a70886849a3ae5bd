#include "sim/cli/sweep_study.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "sim/cli/sweep_files.h"
#include "sim/cli/sweep_sha256.h"
#include "sim/config/yaml_load.h"
#include "sim/config/yaml_node.h"
#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/input_file.h"
#include "sim/core/time_limits.h"

namespace fs = std::filesystem;

namespace streamsim::sweep {
namespace {

// A bound on a study's size, so that a typo in a range fails at once instead of exhausting
// memory; a real study this large should be split into several.
constexpr std::size_t kMaxPoints = 200000;

const std::vector<std::string> kStudyKeys = {"name",    "config", "engine", "max_cycles",
                                             "timeout", "set",    "grid",   "zip"};

SourceLoc loc_of(const std::string& file, const YAML::Node& n) {
  YAML::Mark m = n.Mark();
  return SourceLoc{file, m.line + 1, m.column + 1};
}

std::string scalar(const std::string& file, const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar())
    throw Error(loc_of(file, n), what + " must be a single value (a number or a name)");
  return n.Scalar();
}

// Integer-valued doubles print without a fraction so "64" stays "64" in ids and overrides.
std::string number_text(double v) {
  if (std::fabs(v) < 9e15 && v == std::floor(v)) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

double number(const std::string& file, const YAML::Node& n, const std::string& what) {
  std::string s = scalar(file, n, what);
  try {
    std::size_t used = 0;
    double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error(loc_of(file, n), what + " must be a number, not '" + s + "'");
}

// A parameter's values: a list `[a, b]`, or a range `{from: 64, to: 16384, times: 2}` /
// `{from: 1, to: 9, step: 2}` (inclusive of `to` when it is reached exactly).
std::vector<std::string> values_of(const std::string& file, const std::string& name,
                                   const YAML::Node& n) {
  std::vector<std::string> out;
  if (n.IsSequence()) {
    for (const auto& v : n)
      out.push_back(scalar(file, v, "each value of parameter '" + name + "'"));
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      std::string k = kv.first.Scalar();
      if (k != "from" && k != "to" && k != "times" && k != "step") {
        std::string near = nearest_name(k, {"from", "to", "times", "step"});
        throw Error(loc_of(file, kv.first),
                    "unknown range key '" + k + "' for parameter '" + name + "'" +
                        (near.empty() ? "" : "; did you mean '" + near + "'?") +
                        " (a range is {from: A, to: B, times: F} or {from: A, to: B, step: S})");
      }
    }
    if (!n["from"] || !n["to"] || (!n["times"] == !n["step"]))
      throw Error(loc_of(file, n), "range for parameter '" + name +
                                       "' needs 'from', 'to' and exactly one of 'times' or 'step'");
    double from = number(file, n["from"], "'from'"), to = number(file, n["to"], "'to'");
    bool geometric = static_cast<bool>(n["times"]);
    double by = number(file, geometric ? n["times"] : n["step"], geometric ? "'times'" : "'step'");
    if (geometric ? by <= 1 : by <= 0)
      throw Error(loc_of(file, n), "range for parameter '" + name + "' must grow: " +
                                       (geometric ? "'times' must be > 1" : "'step' must be > 0"));
    for (double v = from; v <= to * (1 + 1e-12); v = geometric ? v * by : v + by) {
      if (out.size() == kMaxPoints)
        throw Error(loc_of(file, n), "range for parameter '" + name + "' gives more than " +
                                         std::to_string(kMaxPoints) +
                                         " values; narrow it or use a larger step");
      out.push_back(number_text(v));
    }
  } else {
    throw Error(loc_of(file, n), "parameter '" + name + "' needs a list of values, e.g. " + name +
                                     ": [64, 128], or a range {from: 64, to: 1024, times: 2}");
  }
  if (out.empty()) throw Error(loc_of(file, n), "parameter '" + name + "' has no values");
  return out;
}

struct Axis {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> rows;  // each row: one value per name
};

// Every parameter the study sets or varies, with where it is named.
using NamedParams = std::map<std::string, SourceLoc>;

void check_new_name(const std::string& file, const YAML::Node& key, const std::string& name,
                    NamedParams& seen) {
  if (!seen.emplace(name, loc_of(file, key)).second)
    throw Error(loc_of(file, key),
                "parameter '" + name + "' is given twice (in grid, zip or set); give it once");
}

std::string resolve(const std::string& study_dir, const std::string& path) {
  fs::path p(path);
  return absolute_path(p.is_absolute() ? path : (fs::path(study_dir) / p).string());
}

// The names a config declares under `params:`; nullopt when it is not a YAML map (its points
// then fail with the loader's own message, naming the config).
std::optional<std::vector<std::string>> declared_params(const std::string& config) {
  try {
    const YAML::Node root = YAML::Load(read_file(config));
    if (!root.IsMap()) return std::nullopt;
    std::vector<std::string> names;
    if (const YAML::Node params = root["params"]; params && params.IsMap())
      for (const auto& kv : params)
        if (kv.first.IsScalar()) names.push_back(kv.first.Scalar());
    return names;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A parameter no config declares would fail every point, one by one, with the same message:
// it is the study that is wrong, so it fails at load, naming the study's line.
void check_params_declared(const Study& study, const NamedParams& named) {
  std::vector<std::string> configs;
  for (const auto& p : study.points)
    if (std::find(configs.begin(), configs.end(), p.config) == configs.end())
      configs.push_back(p.config);
  for (const auto& config : configs) {
    const auto declared = declared_params(config);
    if (!declared) continue;
    for (const auto& [name, loc] : named) {
      if (name == kConfigParam ||
          std::find(declared->begin(), declared->end(), name) != declared->end())
        continue;
      const std::string near = nearest_name(name, *declared);
      throw Error(loc, "parameter '" + name + "' is not declared in the `params:` of " + config +
                           (near.empty() ? "" : "; did you mean '" + near + "'?") +
                           (declared->empty() ? " (it declares none)"
                                              : " (it declares: " + join_names(*declared) + ")"));
    }
  }
}

}  // namespace

std::string point_id(const ParamList& params) {
  std::string readable, exact;
  for (const auto& [k, v] : params) {
    if (!readable.empty()) readable += '_';
    readable += k + "=" + v;
    exact += k + "=" + v + "\n";
  }
  for (char& c : readable)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '=' &&
        c != '_')
      c = '-';
  if (readable.size() > 96) readable.resize(96);
  if (readable.empty()) readable = "point";
  return readable + "-" + sha256_hex(exact).substr(0, 8);
}

Shard parse_shard(const std::string& text) {
  Shard s;
  auto slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t a = 0, b = 0;
    s.index = std::stoi(text.substr(0, slash), &a);
    s.count = std::stoi(text.substr(slash + 1), &b);
    if (a != slash || b != text.size() - slash - 1) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw Error("--shard '" + text +
                "' must be I/N, e.g. --shard 2/4 for the second of four shards");
  }
  if (s.count < 1 || s.index < 1 || s.index > s.count)
    throw Error("--shard '" + text + "': need 1 <= I <= N (shards are numbered from 1)");
  return s;
}

bool in_shard(const std::string& id, const Shard& shard) {
  std::uint64_t h = std::stoull(sha256_hex(id).substr(0, 15), nullptr, 16);
  return static_cast<int>(h % static_cast<std::uint64_t>(shard.count)) == shard.index - 1;
}

Study load_study(const std::string& path) {
  Study study;
  study.path = absolute_path(path);
  std::string text = read_input_file(path, "study file");
  study.sha256 = sha256_hex(text);
  YAML::Node root = parse_yaml(text, path);  // bounded depth and alias expansion
  if (!root.IsMap())
    throw Error(SourceLoc{path, 1, 1},
                "a study file must be a map with 'config' and 'grid' (see docs/sweeps.md)");
  for (const auto& kv : root) {
    std::string k = kv.first.Scalar();
    if (std::find(kStudyKeys.begin(), kStudyKeys.end(), k) == kStudyKeys.end()) {
      std::string near = nearest_name(k, kStudyKeys);
      throw Error(loc_of(path, kv.first),
                  "unknown study key '" + k + "'" +
                      (near.empty() ? "" : "; did you mean '" + near + "'?") +
                      " (valid keys: " + join_names(kStudyKeys) + ")");
    }
  }
  std::string dir = fs::path(study.path).parent_path().string();
  std::string base_config;
  if (root["config"]) base_config = resolve(dir, scalar(path, root["config"], "'config'"));
  if (root["engine"]) study.engine = scalar(path, root["engine"], "'engine'");
  if (root["max_cycles"]) {
    double v = number(path, root["max_cycles"], "'max_cycles'");
    if (!(v >= 0 && v <= static_cast<double>(kMaxTime) && v == std::floor(v)))
      throw Error(loc_of(path, root["max_cycles"]),
                  "'max_cycles' must be a whole number between 0 (unbounded) and " +
                      describe_limit(static_cast<std::uint64_t>(kMaxTime)) +
                      ", the largest simulated time");
    study.max_cycles = static_cast<Cycle>(v);
  }
  if (root["timeout"]) {
    study.timeout_seconds = number(path, root["timeout"], "'timeout' (seconds)");
    if (study.timeout_seconds < 0)
      throw Error(loc_of(path, root["timeout"]), "'timeout' must be >= 0 (0 = none)");
  }

  NamedParams seen;
  ParamList fixed;
  if (const YAML::Node set = root["set"]) {
    if (!set.IsMap())
      throw Error(loc_of(path, set), "'set' must be a map of fixed overrides, e.g. set: {D: 64}");
    for (const auto& kv : set) {
      check_new_name(path, kv.first, kv.first.Scalar(), seen);
      fixed.emplace_back(kv.first.Scalar(),
                         scalar(path, kv.second, "override '" + kv.first.Scalar() + "'"));
    }
  }
  std::vector<Axis> axes;
  if (const YAML::Node grid = root["grid"]) {
    if (!grid.IsMap())
      throw Error(loc_of(path, grid), "'grid' must be a map from parameter to values");
    for (const auto& kv : grid) {
      std::string name = kv.first.Scalar();
      check_new_name(path, kv.first, name, seen);
      Axis a;
      a.names = {name};
      for (auto& v : values_of(path, name, kv.second)) a.rows.push_back({v});
      axes.push_back(std::move(a));
    }
  }
  if (const YAML::Node zip = root["zip"]) {
    std::vector<YAML::Node> groups;
    if (zip.IsMap())
      groups.push_back(zip);
    else if (zip.IsSequence())
      for (const auto& g : zip) groups.push_back(g);
    else
      throw Error(loc_of(path, zip),
                  "'zip' must be a map of equally long lists, or a list of such maps");
    for (const auto& g : groups) {
      if (!g.IsMap())
        throw Error(loc_of(path, g), "each zip group must be a map of equally long lists");
      Axis a;
      std::size_t len = 0;
      for (const auto& kv : g) {
        std::string name = kv.first.Scalar();
        check_new_name(path, kv.first, name, seen);
        auto vals = values_of(path, name, kv.second);
        if (a.names.empty()) {
          len = vals.size();
          a.rows.resize(len);
        } else if (vals.size() != len) {
          throw Error(loc_of(path, kv.second),
                      "zip list '" + name + "' has " + std::to_string(vals.size()) +
                          " values but '" + a.names.front() + "' has " + std::to_string(len) +
                          "; zipped lists must be equally long");
        }
        a.names.push_back(name);
        for (std::size_t i = 0; i < len; ++i) a.rows[i].push_back(vals[i]);
      }
      if (!a.names.empty()) axes.push_back(std::move(a));
    }
  }
  for (const auto& a : axes)
    for (const auto& n : a.names) study.param_names.push_back(n);
  if (base_config.empty() && !seen.count(kConfigParam))
    throw Error(SourceLoc{path, 1, 1},
                "the study names no config: add 'config: FILE.yaml' (relative to the study)");

  double total = 1;
  for (const auto& a : axes) total *= static_cast<double>(a.rows.size());
  if (total > static_cast<double>(kMaxPoints))
    throw Error(SourceLoc{path, 1, 1},
                "the study has " + number_text(total) + " points, more than the limit of " +
                    std::to_string(kMaxPoints) + "; split it into several studies");
  // Cartesian product over axes; the first axis varies slowest (as in nested loops).
  std::vector<std::size_t> idx(axes.size(), 0);
  std::set<std::string> ids;
  while (true) {
    StudyPoint p;
    for (std::size_t i = 0; i < axes.size(); ++i)
      for (std::size_t j = 0; j < axes[i].names.size(); ++j)
        p.params.emplace_back(axes[i].names[j], axes[i].rows[idx[i]][j]);
    p.config = base_config;
    p.overrides = fixed;
    for (const auto& [k, v] : p.params) {
      if (k == kConfigParam)
        p.config = resolve(dir, v);
      else
        p.overrides.emplace_back(k, v);
    }
    for (const auto& [k, v] : fixed)
      if (k == kConfigParam) p.config = resolve(dir, v);
    p.overrides.erase(std::remove_if(p.overrides.begin(), p.overrides.end(),
                                     [](const auto& kv) { return kv.first == kConfigParam; }),
                      p.overrides.end());
    p.id = point_id(p.params);
    if (!ids.insert(p.id).second)
      throw Error(SourceLoc{path, 1, 1},
                  "point '" + p.id + "' appears twice; a value is listed twice in 'grid' or 'zip'");
    study.points.push_back(std::move(p));
    std::size_t i = axes.size();
    while (i > 0 && ++idx[i - 1] == axes[i - 1].rows.size()) idx[--i] = 0;
    if (i == 0) break;
  }
  check_params_declared(study, seen);
  return study;
}

}  // namespace streamsim::sweep
