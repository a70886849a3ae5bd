#pragma once
// Helpers for reading user YAML with errors that point at file:line:column and name the key.
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {

// Throws Error at the line and column of the first byte of `text` that is not valid UTF-8:
// YAML is Unicode text, and names and values end up in JSON reports, which must be UTF-8 (a
// study with stray bytes once reached the JSON writer; found by the study_loader fuzzer).
void expect_utf8(const std::string& text, const std::string& file);

// Where a node was written (yaml-cpp marks are 0-based; SourceLoc is 1-based).
SourceLoc loc_of(const YAML::Node& node, const std::string& file);

// "a map", "a list", "a scalar", "empty (null)".
const char* yaml_kind_name(const YAML::Node& node);

// Throws unless `node` is a map / a list / a scalar; `what` names it, e.g. "`units`".
void expect_map(const YAML::Node& node, const std::string& what, const std::string& file);
void expect_sequence(const YAML::Node& node, const std::string& what, const std::string& file);
void expect_scalar(const YAML::Node& node, const std::string& what, const std::string& file);

// Checks every key of map `node`: a scalar, not repeated, and one of `allowed` (an unknown key
// is an error naming the nearest allowed key and listing all of them). `what` names the map,
// e.g. "unit 'src'".
void check_keys(const YAML::Node& node, const std::vector<std::string>& allowed,
                const std::string& what, const std::string& file);

// The mark of the key `key` in map `node` (for errors about a key rather than its value).
SourceLoc key_loc(const YAML::Node& node, const std::string& key, const std::string& file);

}  // namespace streamsim
