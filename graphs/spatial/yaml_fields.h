#pragma once
// Small helpers for reading the spatial YAML files (architecture, mapping, study) with
// yaml-cpp: every error names the file:line:column of the offending key, the key, and the fix.
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/core/types.h"

namespace streamsim::spatial {

// A YAML map plus where it came from; reads typed fields and remembers which keys were used
// so that unknown keys can be reported with "did you mean".
class YamlFields {
 public:
  YamlFields(const YAML::Node& node, std::string file, std::string what);

  SourceLoc loc() const { return loc_of(node_); }
  SourceLoc loc_of(const YAML::Node& n) const;
  SourceLoc key_loc(const std::string& key) const;  // the value's location, or the map's
  bool has(const std::string& key) const;
  YAML::Node raw(const std::string& key);  // marks the key as used; may be undefined

  double number(const std::string& key, double min, double max);
  double number_or(const std::string& key, double fallback, double min, double max);
  std::int64_t integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::int64_t integer_or(const std::string& key, std::int64_t fallback, std::int64_t min,
                          std::int64_t max);
  std::string text(const std::string& key);
  std::string text_or(const std::string& key, const std::string& fallback);
  bool flag_or(const std::string& key, bool fallback);
  std::vector<std::string> text_list(const std::string& key);
  YamlFields child(const std::string& key);  // a required nested map

  // Throws for any key not read so far, naming the nearest valid one.
  void reject_unknown(const std::vector<std::string>& valid) const;
  const std::string& file() const { return file_; }
  const std::string& what() const { return what_; }

 private:
  [[noreturn]] void fail(const SourceLoc& at, const std::string& msg) const;
  YAML::Node node_;
  std::string file_, what_;
  std::set<std::string> used_;
};

// Loads a YAML file (sim/config/yaml_load.h); throws Error naming the file (and the line of a
// syntax error). `what` names its role: "spatial architecture file".
YAML::Node load_yaml_file(const std::string& path, const std::string& what);
// Resolves `path` relative to the directory of `relative_to` unless it is absolute.
std::string resolve_path(const std::string& path, const std::string& relative_to);

}  // namespace streamsim::spatial
