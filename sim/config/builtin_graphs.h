#pragma once
// Built-in graphs: graphs made by C++ builders (graphs/*) that a YAML file can ask for by name
// (`builtin: sdpa` + `builtin_params: {...}`, docs/builtin-graphs.md). The config layer may not
// include graphs/, so the builders register themselves here (STREAMSIM_REGISTER_BUILTIN_GRAPH
// in graphs/<name>/<name>_builtin.cpp) and the loader looks them up by name.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/error.h"
#include "sim/core/graph.h"
#include "sim/core/types.h"

namespace streamsim {

// Parameters exactly as written in `builtin_params:` after ${...} substitution: the builder
// parses the text (so it owns its keys, types and defaults).
using BuiltinParams = std::map<std::string, std::string>;
// `loc` is where the file asked for the graph (for errors the builder cannot pin on one key).
using BuiltinBuilder = std::function<Graph(const BuiltinParams& params, const SourceLoc& loc)>;

struct BuiltinGraphInfo {
  std::string name;
  std::string doc;                                              // one line
  std::vector<std::pair<std::string, std::string>> param_docs;  // key, one line each
  BuiltinBuilder build;
};

// A builder's complaint about one parameter: the loader reports it at that key's line.
class BuiltinParamError : public Error {
 public:
  BuiltinParamError(std::string key, const std::string& message) : Error(message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

class BuiltinGraphRegistry {
 public:
  static BuiltinGraphRegistry& instance();
  // Throws Error if the name is taken (two builders must not fight over one name).
  void add(BuiltinGraphInfo info);
  // Throws Error at `loc` naming the unknown name, the nearest registered one and all of them.
  const BuiltinGraphInfo& get(const std::string& name, const SourceLoc& loc = {}) const;
  std::vector<std::string> names() const;  // sorted

 private:
  std::map<std::string, BuiltinGraphInfo> graphs_;
};

struct BuiltinGraphRegistrar {
  explicit BuiltinGraphRegistrar(BuiltinGraphInfo info) { BuiltinGraphRegistry::instance().add(std::move(info)); }
};

}  // namespace streamsim

#define STREAMSIM_BUILTIN_CONCAT_INNER(a, b) a##b
#define STREAMSIM_BUILTIN_CONCAT(a, b) STREAMSIM_BUILTIN_CONCAT_INNER(a, b)
// Usage (in graphs/<name>/<name>_builtin.cpp): STREAMSIM_REGISTER_BUILTIN_GRAPH(make_info());
#define STREAMSIM_REGISTER_BUILTIN_GRAPH(info_expr)                                                 \
  static ::streamsim::BuiltinGraphRegistrar STREAMSIM_BUILTIN_CONCAT(streamsim_builtin_, __LINE__)( \
      info_expr)
