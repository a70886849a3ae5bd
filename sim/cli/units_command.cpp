// `streamsim units [TYPE]`: every registered unit type with its documentation, ports and
// parameters (like SST's sst-info), printed from the registry so it cannot drift from the code.
#include <iostream>
#include <memory>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/config/expression.h"
#include "sim/core/error.h"
#include "sim/core/registry.h"
#include "sim/report/text_table.h"

namespace streamsim::cli {

namespace {

struct UnitsArgs {
  std::string type;
  bool brief = false;
};

// Wraps `text` at `width` columns, every line prefixed with `indent`.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::istringstream words(text);
  std::string word, line, out;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string number(double v) { return ExprValue::of_double(v).text(); }

std::string range_of(const ParamSpec& s) {
  if (!s.choices.empty()) return join_names(s.choices, "|");
  bool lo = s.min > -1e300, hi = s.max < 1e300;
  if (lo && hi) return "[" + number(s.min) + ", " + number(s.max) + "]";
  if (lo) return ">= " + number(s.min);
  if (hi) return "<= " + number(s.max);
  return "";
}

std::string default_of(const ParamSpec& s) {
  if (s.required()) return "required";
  if (s.default_value->empty()) return s.type == ParamType::DoubleList ? "[]" : "\"\"";
  return s.type == ParamType::DoubleList ? "[" + *s.default_value + "]" : *s.default_value;
}

std::string first_sentence(const std::string& doc) {
  auto end = doc.find(". ");
  return end == std::string::npos ? doc : doc.substr(0, end + 1);
}

void print_ports(std::ostream& os, const char* title, const std::vector<PortDoc>& ports) {
  os << "  " << title << ":";
  if (ports.empty()) {
    os << " none\n";
    return;
  }
  os << "\n";
  TextTable t({"", ""});
  for (const auto& p : ports) t.add({p.name, p.doc});
  std::string text = t.render(2, "    ");
  os << text.substr(text.find('\n') + 1);
}

void print_type(std::ostream& os, const UnitTypeInfo& info) {
  os << info.type << "\n" << wrap(info.doc, 88, "  ");
  print_ports(os, "inputs", info.inputs);
  print_ports(os, "outputs", info.outputs);
  os << "  parameters:";
  if (info.schema.specs().empty()) {
    os << " none\n";
    return;
  }
  os << "\n";
  TextTable t({"name", "type", "default", "range/choices", "doc"});
  for (const ParamSpec& s : info.schema.specs())
    t.add({s.name, param_type_name(s.type), default_of(s), range_of(s), s.doc});
  os << t.render(5, "    ");
}

void list_units(const UnitsArgs& args) {
  const UnitRegistry& registry = UnitRegistry::instance();
  if (!args.type.empty()) {
    // Not registry.get(): its message is for a type named in a file, with a file location.
    const UnitTypeInfo* info = registry.find(args.type);
    if (!info) {
      const std::string near = nearest_name(args.type, registry.types());
      throw Error("units: unknown unit type '" + args.type + "'" +
                  (near.empty() ? "" : "; did you mean '" + near + "'?") +
                  " (types: " + join_names(registry.types()) + ")");
    }
    print_type(std::cout, *info);
    return;
  }
  if (registry.all().empty()) {
    std::cout << "no unit types are registered\n";
    return;
  }
  bool first = true;
  std::size_t widest = 0;  // --brief: the descriptions start in one column, past the longest name
  for (const std::string& type : registry.types()) widest = std::max(widest, type.size());
  for (const std::string& type : registry.types()) {
    const UnitTypeInfo& info = *registry.find(type);
    if (args.brief) {
      std::cout << type << std::string(widest + 2 - type.size(), ' ') << first_sentence(info.doc)
                << "\n";
      continue;
    }
    if (!first) std::cout << "\n";
    first = false;
    print_type(std::cout, info);
  }
}

}  // namespace

void add_units_command(CLI::App& app) {
  auto args = std::make_shared<UnitsArgs>();
  CLI::App* cmd = app.add_subcommand("units", "document the unit types: ports, parameters, defaults, ranges");
  cmd->add_option("TYPE", args->type, "only this unit type");
  cmd->add_flag("--brief", args->brief, "one line per type");
  cmd->callback([args] { list_units(*args); });
}

}  // namespace streamsim::cli
