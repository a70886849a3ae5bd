#include "sim/config/builtin_loader.h"

#include <set>

#include "sim/config/builtin_graphs.h"
#include "sim/config/yaml_node.h"
#include "sim/core/error.h"

namespace streamsim {

namespace {

// Keys that describe a graph by hand; a built-in graph is made by its builder instead.
const char* const kHandWrittenKeys[] = {"units", "channels", "defaults"};

// The location of character `offset` of a scalar's value (exact for one-line scalars; a
// quoted scalar, which yaml-cpp tags "!", starts one column after its quote).
SourceLoc loc_in_scalar(const YAML::Node& node, std::size_t offset, const std::string& file) {
  SourceLoc loc = loc_of(node, file);
  if (loc.line > 0 && node.Scalar().find('\n') == std::string::npos)
    loc.column += static_cast<int>(offset) + (node.Tag() == "!" ? 1 : 0);
  return loc;
}

std::string substituted(const YAML::Node& node, const std::string& what, const ExprScope& scope,
                        const std::string& file) {
  expect_scalar(node, what, file);
  try {
    return substitute_expressions(node.Scalar(), scope).text;
  } catch (const ExprError& e) {
    throw Error(loc_in_scalar(node, e.offset(), file), what + ": " + e.what());
  }
}

}  // namespace

bool wants_builtin_graph(const YAML::Node& root, const std::string& file) {
  if (root["builtin"]) return true;
  if (root["builtin_params"])
    throw Error(key_loc(root, "builtin_params", file),
                "`builtin_params:` without `builtin:`; add `builtin: NAME` (a built-in graph, e.g. sdpa) "
                "or remove `builtin_params:`");
  return false;
}

Graph load_builtin_graph(const YAML::Node& root, const ExprScope& scope, const std::string& file) {
  for (const char* key : kHandWrittenKeys)
    if (root[key])
      throw Error(key_loc(root, key, file), std::string("`") + key +
                                                ":` cannot be used with `builtin:`: a built-in graph is made by its "
                                                "builder; remove `" + key + ":` (or `builtin:` to describe the graph by hand)");
  const YAML::Node name_node = root["builtin"];
  const std::string name = substituted(name_node, "`builtin`", scope, file);
  const SourceLoc where = loc_of(name_node, file);
  const BuiltinGraphInfo& info = BuiltinGraphRegistry::instance().get(name, where);

  BuiltinParams params;
  std::map<std::string, SourceLoc> key_locs;
  const YAML::Node list = root["builtin_params"];
  if (list && !list.IsNull()) {
    expect_map(list, "`builtin_params`", file);
    for (auto it = list.begin(); it != list.end(); ++it) {
      const YAML::Node key = it->first;  // copies: the iterator's pair is a temporary
      const YAML::Node value = it->second;
      expect_scalar(key, "a `builtin_params` key", file);
      const std::string& k = key.Scalar();
      if (key_locs.count(k)) throw Error(loc_of(key, file), "builtin_params: '" + k + "' is given twice");
      key_locs[k] = loc_of(key, file);
      const std::string what = "builtin_params: '" + k + "'";
      if (value.IsNull()) throw Error(loc_of(key, file), what + " has no value");
      params[k] = substituted(value, what, scope, file);
    }
  }

  try {
    return info.build(params, where);
  } catch (const BuiltinParamError& e) {
    auto it = key_locs.find(e.key());
    throw Error(it != key_locs.end() ? it->second : where, e.what());
  } catch (const Error& e) {
    if (e.loc().line > 0 || !e.loc().file.empty()) throw;
    throw Error(where, std::string("builtin '") + name + "': " + e.what());
  }
}

}  // namespace streamsim
