#include "sim/config/yaml_node.h"

#include <set>

#include "sim/core/error.h"

namespace streamsim {

SourceLoc loc_of(const YAML::Node& node, const std::string& file) {
  SourceLoc loc;
  loc.file = file;
  YAML::Mark m = node.Mark();
  if (!m.is_null()) {
    loc.line = m.line + 1;
    loc.column = m.column + 1;
  }
  return loc;
}

const char* yaml_kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "empty";
    case YAML::NodeType::Undefined: return "missing";
  }
  return "?";
}

static void expect_kind(const YAML::Node& node, YAML::NodeType::value kind, const char* wanted,
                        const std::string& what, const std::string& file, const char* example) {
  if (node.Type() == kind) return;
  throw Error(loc_of(node, file), what + " must be " + wanted + ", but it is " + yaml_kind_name(node) +
                                      " (e.g. " + example + ")");
}

void expect_map(const YAML::Node& node, const std::string& what, const std::string& file) {
  expect_kind(node, YAML::NodeType::Map, "a map", what, file, "`{key: value, ...}` or indented `key: value` lines");
}
void expect_sequence(const YAML::Node& node, const std::string& what, const std::string& file) {
  expect_kind(node, YAML::NodeType::Sequence, "a list", what, file, "`[a, b]` or lines starting with '- '");
}
void expect_scalar(const YAML::Node& node, const std::string& what, const std::string& file) {
  expect_kind(node, YAML::NodeType::Scalar, "a single value", what, file, "`64` or `name`");
}

void check_keys(const YAML::Node& node, const std::vector<std::string>& allowed, const std::string& what,
                const std::string& file) {
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it->first lives in a temporary
    if (!key.IsScalar())
      throw Error(loc_of(key, file), what + ": a key must be a plain name, not " + std::string(yaml_kind_name(key)));
    const std::string& k = key.Scalar();
    bool known = false;
    for (const auto& a : allowed) known = known || a == k;
    if (!known) {
      std::string msg = what + ": unknown key '" + k + "'";
      std::string near = nearest_name(k, allowed);
      if (!near.empty()) msg += "; did you mean '" + near + "'?";
      throw Error(loc_of(key, file), msg + " (valid keys: " + join_names(allowed) + ")");
    }
    if (!seen.insert(k).second)
      throw Error(loc_of(key, file), what + ": key '" + k + "' is given twice");
  }
}

SourceLoc key_loc(const YAML::Node& node, const std::string& key, const std::string& file) {
  for (auto it = node.begin(); it != node.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return loc_of(it->first, file);
  return loc_of(node, file);
}

}  // namespace streamsim
