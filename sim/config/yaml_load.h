#pragma once
// Parsing user YAML with bounded cost. yaml-cpp expands nothing itself (an alias `*a` is a
// second reference to the anchored node), but every walk over the tree visits an alias once
// per use: a few hundred bytes of nested aliases (an "alias bomb") stand for billions of
// nodes. And deep nesting makes yaml-cpp's parser and our recursive walks use stack in
// proportion. So every tree is checked once, iteratively, before any other code walks it:
// at most kMaxYamlDepth levels and max_yaml_nodes() nodes counted with aliases expanded
// (docs/limits.md, "YAML nesting depth" and "YAML node count").
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace streamsim {

// Lists in lists / maps in maps, counted from the document (1) down. Real files use fewer
// than 10 levels; not overridable, as it is what keeps the recursive walks off the stack's end.
constexpr int kMaxYamlDepth = 64;

// Nodes of one document with every alias expanded (keys and values count one each): at most
// the larger of max_yaml_nodes() and kYamlNodesPerByte per byte of the text. Every node takes
// at least one byte of its own, so only aliases reach the second bound: a file without them
// is never refused, however large (a million-unit chain has 14 million nodes), while a bomb
// is refused after at most a constant factor of its size in steps.
constexpr std::uint64_t kDefaultMaxYamlNodes = 1'000'000;
constexpr std::uint64_t kYamlNodesPerByte = 2;
constexpr const char* kMaxYamlNodesEnv = "STREAMSIM_MAX_YAML_NODES";
// $STREAMSIM_MAX_YAML_NODES if set, else the default; throws Error if it is not a positive integer.
std::uint64_t max_yaml_nodes();
// The limit for a document of `text_bytes` bytes (see above).
std::uint64_t yaml_node_limit(std::size_t text_bytes);

// Parses `text` (the content of `file`, which names it in messages): UTF-8, YAML syntax,
// depth and node count. Throws Error at file:line:column.
YAML::Node parse_yaml(const std::string& text, const std::string& file);

// read_input_file(path, what) then parse_yaml.
YAML::Node load_yaml_input(const std::string& path, const std::string& what);

}  // namespace streamsim
