#include "graphs/spatial/yaml_fields.h"

#include <cmath>
#include <sstream>

#include "sim/config/yaml_load.h"

namespace streamsim::spatial {

YamlFields::YamlFields(const YAML::Node& node, std::string file, std::string what)
    : node_(node), file_(std::move(file)), what_(std::move(what)) {
  if (!node_ || !node_.IsMap()) fail(loc_of(node_), what_ + " must be a YAML map of keys");
}

SourceLoc YamlFields::loc_of(const YAML::Node& n) const {
  SourceLoc l;
  l.file = file_;
  if (n && n.Mark().line >= 0) {
    l.line = n.Mark().line + 1;
    l.column = n.Mark().column + 1;
  }
  return l;
}

SourceLoc YamlFields::key_loc(const std::string& key) const {
  YAML::Node n = node_[key];
  return n ? loc_of(n) : loc_of(node_);
}

bool YamlFields::has(const std::string& key) const { return static_cast<bool>(node_[key]); }

YAML::Node YamlFields::raw(const std::string& key) {
  used_.insert(key);
  return node_[key];
}

void YamlFields::fail(const SourceLoc& at, const std::string& msg) const { throw Error(at, msg); }

double YamlFields::number(const std::string& key, double min, double max) {
  YAML::Node n = raw(key);
  if (!n) fail(loc(), what_ + ": missing required key '" + key + "'");
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    fail(loc_of(n), what_ + ": '" + key + "' must be a number, got '" +
                        (n.IsScalar() ? n.Scalar() : std::string("a list or map")) + "'");
  }
  if (!std::isfinite(v) || v < min || v > max) {
    std::ostringstream os;
    os << what_ << ": '" << key << "' = " << v << " is out of range [" << min << ", " << max << "]";
    fail(loc_of(n), os.str());
  }
  return v;
}

double YamlFields::number_or(const std::string& key, double fallback, double min, double max) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return number(key, min, max);
}

std::int64_t YamlFields::integer(const std::string& key, std::int64_t min, std::int64_t max) {
  YAML::Node n = node_[key];
  double v = number(key, static_cast<double>(min), static_cast<double>(max));
  if (v != std::floor(v)) fail(loc_of(n), what_ + ": '" + key + "' must be a whole number");
  return static_cast<std::int64_t>(v);
}

std::int64_t YamlFields::integer_or(const std::string& key, std::int64_t fallback, std::int64_t min,
                                    std::int64_t max) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return integer(key, min, max);
}

std::string YamlFields::text(const std::string& key) {
  YAML::Node n = raw(key);
  if (!n) fail(loc(), what_ + ": missing required key '" + key + "'");
  if (!n.IsScalar()) fail(loc_of(n), what_ + ": '" + key + "' must be a single value");
  return n.Scalar();
}

std::string YamlFields::text_or(const std::string& key, const std::string& fallback) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  return text(key);
}

bool YamlFields::flag_or(const std::string& key, bool fallback) {
  if (!has(key)) {
    used_.insert(key);
    return fallback;
  }
  YAML::Node n = raw(key);
  try {
    return n.as<bool>();
  } catch (const YAML::Exception&) {
    fail(loc_of(n), what_ + ": '" + key + "' must be true or false");
  }
}

std::vector<std::string> YamlFields::text_list(const std::string& key) {
  YAML::Node n = raw(key);
  if (!n) fail(loc(), what_ + ": missing required key '" + key + "'");
  if (!n.IsSequence()) fail(loc_of(n), what_ + ": '" + key + "' must be a list, e.g. [a, b]");
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar()) fail(loc_of(item), what_ + ": '" + key + "' must list single values");
    out.push_back(item.Scalar());
  }
  return out;
}

YamlFields YamlFields::child(const std::string& key) {
  YAML::Node n = raw(key);
  if (!n) fail(loc(), what_ + ": missing required section '" + key + "'");
  return YamlFields(n, file_, what_ + "." + key);
}

void YamlFields::reject_unknown(const std::vector<std::string>& valid) const {
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    std::string key = it->first.Scalar();
    bool known = false;
    for (const auto& v : valid) known = known || v == key;
    if (known) continue;
    std::string hint = nearest_name(key, valid);
    fail(loc_of(it->first), what_ + ": unknown key '" + key + "'" +
                                (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                                " Valid keys: " + join_names(valid));
  }
}

YAML::Node load_yaml_file(const std::string& path, const std::string& what) {
  return load_yaml_input(path, what);  // bounded size, depth and alias expansion
}

std::string resolve_path(const std::string& path, const std::string& relative_to) {
  if (path.empty() || path[0] == '/') return path;
  auto slash = relative_to.find_last_of('/');
  if (slash == std::string::npos) return path;
  return relative_to.substr(0, slash + 1) + path;
}

}  // namespace streamsim::spatial
