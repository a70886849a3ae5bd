#include "sim/config/yaml_writer.h"

#include <yaml-cpp/yaml.h>

#include <cmath>

#include "sim/core/error.h"
#include "sim/core/registry.h"

namespace streamsim {

namespace {

std::string number_text(double d) { return ExprValue::of_double(d).text(); }

// Whether the unit's value of `s` is the schema's default (compared as typed values).
bool is_default(const ParamSpec& s, const Params& p) {
  if (!s.default_value) return false;
  const std::string& d = *s.default_value;
  ExprValue v;
  switch (s.type) {
    case ParamType::Int: return parse_number(d, v) && v.number() == static_cast<double>(p.get_int(s.name));
    case ParamType::Double: {
      double x = p.get_double(s.name);
      if (d == "nan") return std::isnan(x);
      return parse_number(d, v) && v.number() == x;
    }
    case ParamType::String: return d == p.get_string(s.name);
    case ParamType::Bool: return (d == "true" || d == "1") == p.get_bool(s.name);
    case ParamType::DoubleList: return d.empty() && p.get_list(s.name).empty();
  }
  return false;
}

std::string port_ref(const UnitNode& u, const std::vector<Port>& ports, int port) {
  return ports.size() == 1 ? u.name : u.name + "." + ports[static_cast<std::size_t>(port)].name;
}

}  // namespace

std::string graph_to_yaml(const Graph& graph, const YamlWriteOptions& options) {
  const ResolvedParams& params = options.params;
  const std::string& description = options.description;
  YAML::Emitter out;
  out << YAML::BeginMap;
  if (!description.empty()) out << YAML::Key << "description" << YAML::Value << description;
  if (!params.empty()) {
    out << YAML::Key << "params" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, v] : params) {
      out << YAML::Key << name << YAML::Value;
      // A string that reads as a number must stay a string.
      ExprValue probe;
      if (v.kind == ExprValue::Kind::String && parse_number(v.s, probe)) out << YAML::DoubleQuoted;
      out << v.text();
    }
    out << YAML::EndMap;
  }

  out << YAML::Key << "units" << YAML::Value << YAML::BeginSeq;
  for (int u = 0; u < graph.unit_count(); ++u) {
    const UnitNode& node = graph.unit(u);
    const UnitTypeInfo* info = UnitRegistry::instance().find(node.type);
    if (!info)
      throw Error(node.loc, "unit '" + node.name + "' has type '" + node.type +
                                "', which is built by C++ code and not registered; it cannot be written as YAML");
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << node.name << YAML::Key << "type" << YAML::Value
        << node.type;
    auto text = node.params.as_text();
    std::vector<const ParamSpec*> written;
    for (const ParamSpec& s : info->schema.specs())
      if (node.params.has(s.name) && (options.include_defaults || !is_default(s, node.params))) written.push_back(&s);
    if (!written.empty()) {
      out << YAML::Key << "params" << YAML::Value << YAML::BeginMap;
      for (const ParamSpec* s : written) {
        out << YAML::Key << s->name << YAML::Value;
        if (s->type == ParamType::DoubleList) {
          out << YAML::Flow << YAML::BeginSeq;
          for (double d : node.params.get_list(s->name)) out << number_text(d);
          out << YAML::EndSeq;
        } else if (s->type == ParamType::Double) {
          out << number_text(node.params.get_double(s->name));
        } else {
          // A string that reads as a number or is empty must be quoted to stay a string.
          ExprValue probe;
          const std::string& t = text[s->name];
          if (s->type == ParamType::String && (t.empty() || parse_number(t, probe))) out << YAML::DoubleQuoted;
          out << t;
        }
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  out << YAML::Key << "channels" << YAML::Value << YAML::BeginSeq;
  for (int c = 0; c < graph.channel_count(); ++c) {
    const ChannelSpec& ch = graph.channel(c);
    const UnitNode& s = graph.unit(ch.src);
    const UnitNode& d = graph.unit(ch.dst);
    const std::string default_name =
        s.name + "." + s.outputs[ch.src_port].name + "->" + d.name + "." + d.inputs[ch.dst_port].name;
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "from" << YAML::Value << port_ref(s, s.outputs, ch.src_port);
    out << YAML::Key << "to" << YAML::Value << port_ref(d, d.inputs, ch.dst_port);
    if (ch.name != default_name) out << YAML::Key << "name" << YAML::Value << ch.name;
    out << YAML::Key << "depth" << YAML::Value << ch.timing.depth;
    if (ch.timing.latency != 1) out << YAML::Key << "latency" << YAML::Value << ch.timing.latency;
    if (ch.timing.response_latency != 1)
      out << YAML::Key << "response_latency" << YAML::Value << ch.timing.response_latency;
    if (!ch.initial.empty()) {
      out << YAML::Key << "initial" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (double v : ch.initial) out << number_text(v);
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  if (!out.good()) throw Error("internal: cannot emit YAML: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace streamsim
