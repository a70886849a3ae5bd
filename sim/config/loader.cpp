#include "sim/config/loader.h"

#include <cmath>
#include <set>

#include "sim/config/builtin_loader.h"
#include "sim/config/yaml_load.h"
#include "sim/config/yaml_node.h"
#include "sim/core/error.h"
#include "sim/core/input_file.h"
#include "sim/core/registry.h"

namespace streamsim {

ParamOverride parse_override(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error("--set '" + text + "': expected NAME=VALUE, e.g. --set seq_len=128");
  return ParamOverride{text.substr(0, eq), text.substr(eq + 1)};
}

namespace {

const std::vector<std::string> kTopKeys = {"description", "params",  "defaults",      "units",
                                           "channels",    "builtin", "builtin_params"};
const std::vector<std::string> kDefaultKeys = {"depth", "latency", "response_latency"};
const std::vector<std::string> kUnitKeys = {"name", "type", "params"};
const std::vector<std::string> kChannelKeys = {"from", "to", "name", "depth", "latency", "response_latency",
                                               "initial"};

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

class Loader {
 public:
  Loader(std::string file, const LoadOptions& options) : file_(std::move(file)), options_(options) {}

  LoadedConfig load(const std::string& text) {
    YAML::Node root = parse_yaml(text, file_);  // also bounds depth and alias expansion
    if (root.IsNull())
      throw Error(SourceLoc{file_, 1, 1},
                  "the file is empty; an architecture needs `units:` and `channels:` (see docs/yaml-format.md)");
    expect_map(root, "the top level of an architecture file", file_);
    check_keys(root, kTopKeys, "top level", file_);

    LoadedConfig out;
    out.file = file_;
    if (root["description"]) {
      expect_scalar(root["description"], "`description`", file_);
      out.description = root["description"].Scalar();
    }
    resolve_params(root);
    out.params = resolved_;
    if (wants_builtin_graph(root, file_)) {  // made by a registered C++ builder (builtin_loader.h)
      out.graph = load_builtin_graph(root, scope_, file_);
      if (options_.validate) out.graph.validate();
      return out;
    }
    read_defaults(root);
    if (!root["units"])
      throw Error(SourceLoc{file_, 1, 1}, "no `units:` list; an architecture needs at least one unit");
    read_units(root["units"], out.graph);
    if (root["channels"]) read_channels(root["channels"], out.graph);
    if (options_.validate) out.graph.validate();
    return out;
  }

 private:
  // ---- values ----

  // Substitutes ${...} in a scalar; errors point at the scalar and name `what`.
  Substitution substitute(const YAML::Node& node, const std::string& what) {
    expect_scalar(node, what, file_);
    try {
      return substitute_expressions(node.Scalar(), scope_);
    } catch (const ExprError& e) {
      throw Error(loc_in_scalar(node, e.offset()), what + ": " + e.what());
    }
  }

  // The location of character `offset` of a scalar's value (exact unless the scalar spans
  // lines or has escapes before that point). yaml-cpp tags quoted scalars "!".
  SourceLoc loc_in_scalar(const YAML::Node& node, std::size_t offset) const {
    SourceLoc loc = loc_of(node, file_);
    if (loc.line > 0 && node.Scalar().find('\n') == std::string::npos)
      loc.column += static_cast<int>(offset) + (node.Tag() == "!" ? 1 : 0);
    return loc;
  }

  // A parameter value: a number if it is an unquoted number (or a whole ${...}), otherwise a string.
  // `node` is the YAML scalar holding `text`, if the text comes from the file (not --set).
  ExprValue param_value(const std::string& text, const SourceLoc& loc, const std::string& what,
                        const YAML::Node* node = nullptr) {
    Substitution s;
    try {
      s = substitute_expressions(text, scope_);
    } catch (const ExprError& e) {
      throw Error(node ? loc_in_scalar(*node, e.offset()) : loc, what + ": " + e.what());
    }
    if (s.whole) return s.value;
    ExprValue v;
    const bool quoted = node && node->Tag() == "!";  // "64" in quotes is a string, as in YAML
    if (!quoted && parse_number(s.text, v)) return v;
    return ExprValue::of_string(s.text);
  }

  Cycle integer(const YAML::Node& node, const std::string& what, Cycle min) {
    Substitution s = substitute(node, what);
    ExprValue v = s.value;
    if (!s.whole && !parse_number(s.text, v)) v = ExprValue::of_string(s.text);
    if (v.kind == ExprValue::Kind::Double && v.d == std::floor(v.d) && std::fabs(v.d) < 9e18)
      v = ExprValue::of_int(static_cast<std::int64_t>(v.d));
    if (v.kind != ExprValue::Kind::Int)
      throw Error(loc_of(node, file_), what + " must be an integer, got '" + s.text + "'");
    if (v.i < min)
      throw Error(loc_of(node, file_), what + " is " + std::to_string(v.i) + "; it must be >= " + std::to_string(min));
    return v.i;
  }

  // ---- params ----

  // A `--set` must give what the parameter is: text where the file has a number would only
  // fail later, at some use of it deep in the file, far from the option that is wrong.
  void check_override_kind(const std::string& name, const std::string& text, const ExprValue& v,
                           const YAML::Node& declared) {
    if (v.kind != ExprValue::Kind::String || !declared.IsScalar()) return;
    ExprValue file_value;
    try {
      file_value = param_value(declared.Scalar(), loc_of(declared, file_),
                               "parameter '" + name + "'", &declared);
    } catch (const Error&) {
      return;  // the file's own value needs later parameters; the uses will tell
    }
    if (file_value.kind == ExprValue::Kind::String) return;
    throw Error(loc_of(declared, file_),
                "--set " + name + "=" + text + ": parameter '" + name +
                    "' is a number (the file gives " + declared.Scalar() + "), and '" + text +
                    "' is not one; give a number, e.g. --set " + name + "=" + file_value.text());
  }

  void resolve_params(const YAML::Node& root) {
    std::map<std::string, std::string> overrides;
    for (const auto& o : options_.overrides) overrides[o.name] = o.value;
    std::set<std::string> declared;
    SourceLoc params_loc{file_, 1, 1};
    if (YAML::Node params = root["params"]) {
      params_loc = key_loc(root, "params", file_);
      if (!params.IsNull()) expect_map(params, "`params`", file_);
      for (auto it = params.begin(); it != params.end(); ++it) {
        const YAML::Node key = it->first;  // a copy: it->first lives in a temporary
        if (!key.IsScalar() || !is_identifier(key.Scalar()))
          throw Error(loc_of(key, file_), "parameter name '" + (key.IsScalar() ? key.Scalar() : std::string("?")) +
                                              "' must be an identifier (letters, digits, '_') to be usable in ${...}");
        const std::string& name = key.Scalar();
        if (!declared.insert(name).second)
          throw Error(loc_of(key, file_), "parameter '" + name + "' is declared twice");
        ExprValue v;
        auto o = overrides.find(name);
        if (o != overrides.end()) {
          v = param_value(o->second, loc_of(key, file_),
                          "--set " + name + "=" + excerpt(o->second));
          check_override_kind(name, o->second, v, it->second);
        } else {
          expect_scalar(it->second, "parameter '" + name + "'", file_);
          const YAML::Node value = it->second;
          v = param_value(value.Scalar(), loc_of(value, file_), "parameter '" + name + "'", &value);
        }
        scope_[name] = v;
        resolved_.emplace_back(name, v);
      }
    }
    std::vector<std::string> names(declared.begin(), declared.end());
    for (const auto& o : options_.overrides) {
      if (declared.count(o.name)) continue;
      std::string msg = "--set " + excerpt(o.name) + "=" + excerpt(o.value) +
                        ": the file declares no parameter '" + o.name + "'";
      std::string near = nearest_name(o.name, names);
      if (!near.empty()) msg += "; did you mean '" + near + "'?";
      msg += names.empty() ? " (it has no `params:`)" : " (parameters: " + join_names(names) + ")";
      throw Error(params_loc, msg);
    }
  }

  void read_defaults(const YAML::Node& root) {
    YAML::Node d = root["defaults"];
    if (!d || d.IsNull()) return;
    expect_map(d, "`defaults`", file_);
    check_keys(d, kDefaultKeys, "defaults", file_);
    if (d["depth"]) defaults_.depth = integer(d["depth"], "defaults: depth", 1);
    if (d["latency"]) defaults_.latency = integer(d["latency"], "defaults: latency", 1);
    if (d["response_latency"])
      defaults_.response_latency = integer(d["response_latency"], "defaults: response_latency", 1);
  }

  // ---- units ----

  void read_units(const YAML::Node& units, Graph& graph) {
    expect_sequence(units, "`units`", file_);
    if (units.size() == 0) throw Error(loc_of(units, file_), "`units` is empty; an architecture needs at least one unit");
    for (const YAML::Node& u : units) read_unit(u, graph);
  }

  void read_unit(const YAML::Node& u, Graph& graph) {
    SourceLoc loc = loc_of(u, file_);
    expect_map(u, "each entry of `units`", file_);
    check_keys(u, kUnitKeys, "unit", file_);
    if (!u["name"]) throw Error(loc, "unit has no `name:`");
    std::string name = substitute(u["name"], "unit name").text;
    if (name.empty() || name.find_first_of(". \t->") != std::string::npos)
      throw Error(loc_of(u["name"], file_), "unit name '" + name +
                                                "' is not valid: use letters, digits and '_' (no '.', '-' or spaces)");
    const std::string what = "unit '" + name + "'";
    if (!u["type"]) throw Error(loc, what + " has no `type:` (`streamsim units` lists the types)");
    std::string type = substitute(u["type"], what + ": type").text;
    const UnitTypeInfo& info = UnitRegistry::instance().get(type, loc_of(u["type"], file_));

    RawParams raw;
    if (YAML::Node params = u["params"]) {
      if (!params.IsNull()) expect_map(params, what + ": `params`", file_);
      std::set<std::string> seen;
      for (auto it = params.begin(); it != params.end(); ++it) {
        const YAML::Node key = it->first;  // a copy: it->first lives in a temporary
        expect_scalar(key, what + ": a parameter name", file_);
        const std::string& pname = key.Scalar();
        if (!seen.insert(pname).second)
          throw Error(loc_of(key, file_), what + ": parameter '" + pname + "' is given twice");
        raw[pname] = raw_param(it->second, what + ": parameter '" + pname + "'", loc_of(key, file_));
      }
    }
    Params validated = info.schema.validate(raw, what + " (type " + type + ")", loc);
    graph.add_validated_unit(name, type, validated, loc);
  }

  RawParam raw_param(const YAML::Node& value, const std::string& what, const SourceLoc& key_loc) {
    RawParam p;
    p.loc = key_loc;
    if (value.IsNull()) throw Error(key_loc, what + " has no value");
    if (value.IsMap()) throw Error(loc_of(value, file_), what + " must be a value or a list, not a map");
    if (value.IsScalar()) {
      p.text = substitute(value, what).text;
      return p;
    }
    p.is_list = true;
    flatten(value, what, p.list);
    return p;
  }

  // Lists may nest (a matrix as a list of rows); values are flattened row-major.
  void flatten(const YAML::Node& list, const std::string& what, std::vector<std::string>& out) {
    for (const YAML::Node& item : list) {
      if (item.IsSequence()) flatten(item, what, out);
      else out.push_back(substitute(item, what + " (list item)").text);
    }
  }

  // ---- channels ----

  void read_channels(const YAML::Node& channels, Graph& graph) {
    if (channels.IsNull()) return;
    expect_sequence(channels, "`channels`", file_);
    for (const YAML::Node& c : channels) read_channel(c, graph);
  }

  void read_channel(const YAML::Node& c, Graph& graph) {
    SourceLoc loc = loc_of(c, file_);
    expect_map(c, "each entry of `channels`", file_);
    check_keys(c, kChannelKeys, "channel", file_);
    if (!c["from"]) throw Error(loc, "channel has no `from:` (e.g. `from: src.out`)");
    if (!c["to"]) throw Error(loc, "channel has no `to:` (e.g. `to: sink.in`)");
    std::string from = substitute(c["from"], "channel: from").text;
    std::string to = substitute(c["to"], "channel: to").text;
    auto [src, src_port] = graph.resolve_port(from, true, loc_of(c["from"], file_));
    auto [dst, dst_port] = graph.resolve_port(to, false, loc_of(c["to"], file_));
    std::string name = c["name"] ? substitute(c["name"], "channel: name").text : "";
    const std::string what = "channel " + (name.empty() ? from + " -> " + to : "'" + name + "'");
    ChannelTiming t = defaults_;
    if (c["depth"]) t.depth = integer(c["depth"], what + ": depth", 1);
    if (c["latency"]) t.latency = integer(c["latency"], what + ": latency", 1);
    if (c["response_latency"]) t.response_latency = integer(c["response_latency"], what + ": response_latency", 1);
    int index = graph.connect(src, src_port, dst, dst_port, t, loc, name);
    if (YAML::Node init = c["initial"]) {
      if (init.IsScalar()) throw Error(loc_of(init, file_), what + ": initial must be a list, e.g. `initial: [0]`");
      std::vector<double> values;
      if (!init.IsNull()) {
        expect_sequence(init, what + ": initial", file_);
        const int width = graph.unit(src).outputs[static_cast<std::size_t>(src_port)].width;
        initial_values(init, what, static_cast<std::size_t>(width), values);
      }
      graph.set_initial_tokens(index, values);
    }
  }

  // Initial tokens: a flat list of numbers (`width` per token), or one list per token of
  // exactly `width` numbers. Rows of another length would be flattened into tokens that cut
  // across them, a silently different run, so they are an error.
  void initial_values(const YAML::Node& list, const std::string& what, std::size_t width,
                      std::vector<double>& out) {
    bool rows = false, numbers = false;
    for (const YAML::Node& item : list) (item.IsSequence() ? rows : numbers) = true;
    if (rows && numbers)
      throw Error(loc_of(list, file_), what +
                                           ": initial mixes numbers and lists; give a flat list of "
                                           "numbers or one list of " +
                                           std::to_string(width) + " per token");
    for (const YAML::Node& item : list) {
      if (!item.IsSequence()) {
        out.push_back(initial_number(item, what));
        continue;
      }
      if (item.size() != width)
        throw Error(loc_of(item, file_),
                    what + ": an initial token of " + std::to_string(item.size()) + " value" +
                        (item.size() == 1 ? "" : "s") + " on a channel of width " +
                        std::to_string(width) + "; each inner list is one token of " +
                        std::to_string(width) + " value" + (width == 1 ? "" : "s") +
                        (width == 1 ? " (write `initial: [0, 1]` for two tokens)" : ""));
      for (const YAML::Node& v : item) {
        if (v.IsSequence() || v.IsMap())
          throw Error(loc_of(v, file_),
                      what + ": an initial value must be a number, not a list or map");
        out.push_back(initial_number(v, what));
      }
    }
  }

  double initial_number(const YAML::Node& item, const std::string& what) {
    Substitution s = substitute(item, what + ": initial value");
    ExprValue v = s.value;
    if (!s.whole && !parse_number(s.text, v)) v = ExprValue::of_string(s.text);
    if (!v.is_number())
      throw Error(loc_of(item, file_), what + ": initial value '" + s.text + "' is not a number");
    return v.number();
  }

  std::string file_;
  const LoadOptions& options_;
  ExprScope scope_;
  ResolvedParams resolved_;
  ChannelTiming defaults_;
};

}  // namespace

LoadedConfig load_config_string(const std::string& yaml, const std::string& file, const LoadOptions& options) {
  return Loader(file, options).load(yaml);
}

LoadedConfig load_config_file(const std::string& path, const LoadOptions& options) {
  return load_config_string(read_input_file(path, "architecture file"), path, options);
}

}  // namespace streamsim
