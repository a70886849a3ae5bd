#pragma once
// Typed, documented unit parameters, validated in one place (ParamSchema::validate).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim {

enum class ParamType { Int, Double, String, Bool, DoubleList };
const char* param_type_name(ParamType t);

// One declared parameter: its type, its default (absent => required), allowed range or
// choices, and the line of documentation `streamsim units` prints.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Int;
  std::optional<std::string> default_value;  // textual, parsed like user input; nullopt = required
  std::string doc;
  double min = -1e300;  // inclusive bounds for Int/Double
  double max = 1e300;
  std::vector<std::string> choices;  // for String: the allowed values (empty = any)

  bool required() const { return !default_value.has_value(); }
};

// A value as the user wrote it, before validation: scalar text or a list of texts.
struct RawParam {
  std::string text;                     // scalar form
  std::vector<std::string> list;        // list form
  bool is_list = false;
  SourceLoc loc;
};
using RawParams = std::map<std::string, RawParam>;

// Validated parameter values; every getter is for a declared parameter of the right type.
class Params {
 public:
  std::int64_t get_int(const std::string& name) const;
  double get_double(const std::string& name) const;
  const std::string& get_string(const std::string& name) const;
  bool get_bool(const std::string& name) const;
  const std::vector<double>& get_list(const std::string& name) const;
  bool has(const std::string& name) const { return values_.count(name) != 0; }

  // Setters used by validation and by graph builders that construct units in C++.
  Params& set(const std::string& name, std::int64_t v);
  Params& set(const std::string& name, int v) { return set(name, static_cast<std::int64_t>(v)); }
  Params& set(const std::string& name, double v);
  Params& set(const std::string& name, const std::string& v);
  Params& set(const std::string& name, const char* v) { return set(name, std::string(v)); }
  Params& set(const std::string& name, bool v);
  Params& set(const std::string& name, const std::vector<double>& v);

  // Text form of every value (for reports and for writing a graph back as YAML).
  std::map<std::string, std::string> as_text() const;

 private:
  struct Value {
    ParamType type;
    std::int64_t i = 0;
    double d = 0;
    std::string s;
    std::vector<double> list;
  };
  const Value& find(const std::string& name, ParamType want) const;
  std::map<std::string, Value> values_;
};

class ParamSchema {
 public:
  ParamSchema() = default;
  explicit ParamSchema(std::vector<ParamSpec> specs) : specs_(std::move(specs)) {}
  const std::vector<ParamSpec>& specs() const { return specs_; }

  // Checks names (unknown key => error naming the nearest valid one), presence of required
  // parameters, types, ranges and choices; fills defaults. `what` names the component in
  // errors, e.g. "unit 'exp' (type map)". Throws streamsim::Error.
  Params validate(const RawParams& raw, const std::string& what, const SourceLoc& where) const;

  // Fills defaults into already-typed params and checks ranges (for C++-built graphs).
  Params complete(const Params& given, const std::string& what) const;

 private:
  std::vector<ParamSpec> specs_;
};

}  // namespace streamsim
