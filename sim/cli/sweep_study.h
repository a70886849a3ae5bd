#pragma once
// A study file (docs/sweeps.md): a base config, fixed overrides, and the parameters to vary
// (a grid, whose points are the cartesian product, and zip groups, whose lists move
// together). Expanding it gives the points in a fixed order, each with a stable id.
#include <string>
#include <utility>
#include <vector>

#include "sim/core/types.h"

namespace streamsim::sweep {

using ParamList = std::vector<std::pair<std::string, std::string>>;  // name, value as written

// The parameter name that chooses the config file itself (relative to the study file).
constexpr const char* kConfigParam = "config";

struct StudyPoint {
  std::string id;      // stable: from the parameter names and values only
  ParamList params;    // in study order
  std::string config;  // absolute path of the config this point runs
  // The overrides for the config loader: the study's `set:` then this point's parameters
  // (without `config`).
  ParamList overrides;
};

struct Study {
  std::string path;    // absolute
  std::string sha256;  // of the study file's bytes
  std::vector<std::string> param_names;  // grid keys then zip keys, in the order written
  std::string engine = "fast";
  Cycle max_cycles = 0;         // 0 = unbounded
  double timeout_seconds = 0;   // 0 = none
  std::vector<StudyPoint> points;
};

// Reads and expands a study; throws Error with file:line naming the key and the fix.
Study load_study(const std::string& path);

// "name=value" pairs joined by '_', made file-name safe, plus a hash of the exact text so that
// values differing only in unsafe characters still get different ids.
std::string point_id(const ParamList& params);

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
};
// Parses "I/N" with 1 <= I <= N; throws Error otherwise.
Shard parse_shard(const std::string& text);
// Whether the point with this id belongs to the shard: a hash of the id modulo N, so that a
// point's shard depends on nothing but its own id (adding points to a study moves no other).
bool in_shard(const std::string& id, const Shard& shard);

}  // namespace streamsim::sweep
