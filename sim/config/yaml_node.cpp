#include "sim/config/yaml_node.h"

#include <cstdint>
#include <cstdio>
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
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "empty";
    case YAML::NodeType::Undefined:
      return "missing";
  }
  return "?";
}

static void expect_kind(const YAML::Node& node, YAML::NodeType::value kind, const char* wanted,
                        const std::string& what, const std::string& file, const char* example) {
  if (node.Type() == kind) return;
  throw Error(loc_of(node, file), what + " must be " + wanted + ", but it is " +
                                      yaml_kind_name(node) + " (e.g. " + example + ")");
}

void expect_map(const YAML::Node& node, const std::string& what, const std::string& file) {
  expect_kind(node, YAML::NodeType::Map, "a map", what, file,
              "`{key: value, ...}` or indented `key: value` lines");
}
void expect_sequence(const YAML::Node& node, const std::string& what, const std::string& file) {
  expect_kind(node, YAML::NodeType::Sequence, "a list", what, file,
              "`[a, b]` or lines starting with '- '");
}
void expect_scalar(const YAML::Node& node, const std::string& what, const std::string& file) {
  expect_kind(node, YAML::NodeType::Scalar, "a single value", what, file, "`64` or `name`");
}

void check_keys(const YAML::Node& node, const std::vector<std::string>& allowed,
                const std::string& what, const std::string& file) {
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it->first lives in a temporary
    if (!key.IsScalar())
      throw Error(loc_of(key, file),
                  what + ": a key must be a plain name, not " + std::string(yaml_kind_name(key)));
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

void expect_utf8(const std::string& text, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // The length of the sequence this byte starts, and the smallest code point it may encode
    // (shorter encodings of a code point are invalid, as are surrogates and > U+10FFFF).
    int len = 0;
    std::uint32_t cp = 0, min = 0;
    if (c < 0x80)
      len = 1, cp = c;
    else if ((c & 0xE0) == 0xC0)
      len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
      len = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
      len = 4, cp = c & 0x07, min = 0x10000;
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= text.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      ok = (b & 0xC0) == 0x80;
      cp = (cp << 6) | (b & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      throw Error(SourceLoc{file, line, column},
                  std::string("byte ") + hex +
                      " is not UTF-8 text; save the file as UTF-8 (or remove the stray byte)");
    }
    if (c == '\n')
      line += 1, column = 1;
    else
      column += 1;
    i += static_cast<std::size_t>(len);
  }
}

}  // namespace streamsim
