#include "sim/config/yaml_load.h"

#include <yaml-cpp/depthguard.h>  // YAML::DeepRecursion

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "sim/config/yaml_node.h"
#include "sim/core/error.h"
#include "sim/core/input_file.h"

namespace streamsim {
namespace {

std::string too_deep() {
  return "YAML nested more than " + std::to_string(kMaxYamlDepth) +
         " levels deep (lists in lists or maps in maps); streamsim files need only a few levels: "
         "write a matrix as a list of rows and large data as a tensor file "
         "(docs/tensor-format.md)";
}

// The depth and expanded node count, iteratively (an explicit stack, no recursion). Stops at
// the first node over either limit, so an alias bomb costs at most `max_nodes` steps.
void check_tree(const YAML::Node& root, const std::string& file, std::uint64_t max_nodes) {
  std::uint64_t nodes = 0;
  std::vector<std::pair<YAML::Node, int>> stack{{root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = std::move(stack.back());
    stack.pop_back();
    if (++nodes > max_nodes)
      throw Error(loc_of(node, file),
                  "the YAML document has more than " + std::to_string(max_nodes) +
                      " nodes when its aliases (*name) are expanded, each use of an alias "
                      "counting its whole anchored value; this looks like an alias bomb. If the "
                      "file really is meant to expand that far, raise the limit with " +
                      kMaxYamlNodesEnv + "=N (docs/limits.md)");
    if (depth > kMaxYamlDepth) throw Error(loc_of(node, file), too_deep());
    if (node.IsSequence()) {
      for (const YAML::Node& child : node) stack.emplace_back(child, depth + 1);
    } else if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        stack.emplace_back(it->first, depth + 1);
        stack.emplace_back(it->second, depth + 1);
      }
    }
  }
}

// Where flow collections ('[', '{') first nest deeper than kMaxYamlDepth, for the message
// when yaml-cpp's own guard stops the parse: its mark is where its scanner had got to, which
// may be lines later. A lexical approximation (quotes and comments are skipped; block
// nesting is not counted); nullopt when it finds no such place.
std::optional<SourceLoc> deep_flow_position(const std::string& text, const std::string& file) {
  int depth = 0, line = 1, column = 0;
  char quote = 0, prev = '\n';
  bool comment = false;
  for (char c : text) {
    ++column;
    const bool token_start = prev == '\n' || prev == ' ' || prev == '\t' || prev == '[' ||
                             prev == '{' || prev == ',' || prev == ':';
    prev = c;
    if (c == '\n') {
      ++line, column = 0, comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if ((c == '"' || c == '\'') && token_start)
      quote = c;
    else if (c == '#' && token_start)
      comment = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxYamlDepth) return SourceLoc{file, line, column};
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

}  // namespace

std::uint64_t max_yaml_nodes() {
  const char* env = std::getenv(kMaxYamlNodesEnv);
  if (!env || !*env) return kDefaultMaxYamlNodes;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(env, &end, 10);
  if (*end != '\0' || errno != 0 || v == 0 || env[0] == '-')
    throw Error(std::string(kMaxYamlNodesEnv) + "='" + env +
                "': expected a positive number of nodes, e.g. " + kMaxYamlNodesEnv + "=5000000");
  return v;
}

std::uint64_t yaml_node_limit(std::size_t text_bytes) {
  return std::max<std::uint64_t>(max_yaml_nodes(), kYamlNodesPerByte * text_bytes);
}

YAML::Node parse_yaml(const std::string& text, const std::string& file) {
  expect_utf8(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own guard (2000 levels) fired first
    throw Error(deep_flow_position(text, file)
                    .value_or(SourceLoc{file, e.mark.line + 1, e.mark.column + 1}),
                too_deep());
  } catch (const YAML::Exception& e) {
    SourceLoc loc{file, e.mark.is_null() ? 0 : e.mark.line + 1,
                  e.mark.is_null() ? 0 : e.mark.column + 1};
    throw Error(loc, "malformed YAML: " + e.msg);
  }
  check_tree(root, file, yaml_node_limit(text.size()));
  return root;
}

YAML::Node load_yaml_input(const std::string& path, const std::string& what) {
  return parse_yaml(read_input_file(path, what), path);
}

}  // namespace streamsim
