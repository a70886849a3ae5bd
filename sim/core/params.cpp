#include "sim/core/params.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "sim/core/error.h"

namespace streamsim {

const char* param_type_name(ParamType t) {
  switch (t) {
    case ParamType::Int: return "int";
    case ParamType::Double: return "double";
    case ParamType::String: return "string";
    case ParamType::Bool: return "bool";
    case ParamType::DoubleList: return "list of doubles";
  }
  return "?";
}

const Params::Value& Params::find(const std::string& name, ParamType want) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw Error("internal: parameter '" + name + "' was not declared");
  if (it->second.type != want && !(want == ParamType::Double && it->second.type == ParamType::Int))
    throw Error("internal: parameter '" + name + "' is a " + param_type_name(it->second.type) +
                ", read as " + param_type_name(want));
  return it->second;
}

std::int64_t Params::get_int(const std::string& name) const { return find(name, ParamType::Int).i; }
double Params::get_double(const std::string& name) const {
  const Value& v = find(name, ParamType::Double);
  return v.type == ParamType::Int ? static_cast<double>(v.i) : v.d;
}
const std::string& Params::get_string(const std::string& name) const {
  return find(name, ParamType::String).s;
}
bool Params::get_bool(const std::string& name) const { return find(name, ParamType::Bool).i != 0; }
const std::vector<double>& Params::get_list(const std::string& name) const {
  return find(name, ParamType::DoubleList).list;
}

Params& Params::set(const std::string& name, std::int64_t v) {
  Value x;
  x.type = ParamType::Int;
  x.i = v;
  values_[name] = x;
  return *this;
}
Params& Params::set(const std::string& name, double v) {
  Value x;
  x.type = ParamType::Double;
  x.d = v;
  values_[name] = x;
  return *this;
}
Params& Params::set(const std::string& name, const std::string& v) {
  Value x;
  x.type = ParamType::String;
  x.s = v;
  values_[name] = x;
  return *this;
}
Params& Params::set(const std::string& name, bool v) {
  Value x;
  x.type = ParamType::Bool;
  x.i = v ? 1 : 0;
  values_[name] = x;
  return *this;
}
Params& Params::set(const std::string& name, const std::vector<double>& v) {
  Value x;
  x.type = ParamType::DoubleList;
  x.list = v;
  values_[name] = x;
  return *this;
}

static std::string format_double(double d) {
  std::ostringstream os;
  os.precision(17);
  os << d;
  return os.str();
}

std::map<std::string, std::string> Params::as_text() const {
  std::map<std::string, std::string> out;
  for (const auto& [name, v] : values_) {
    switch (v.type) {
      case ParamType::Int: out[name] = std::to_string(v.i); break;
      case ParamType::Double: out[name] = format_double(v.d); break;
      case ParamType::String: out[name] = v.s; break;
      case ParamType::Bool: out[name] = v.i ? "true" : "false"; break;
      case ParamType::DoubleList: {
        std::string s = "[";
        for (std::size_t i = 0; i < v.list.size(); ++i) s += (i ? ", " : "") + format_double(v.list[i]);
        out[name] = s + "]";
        break;
      }
    }
  }
  return out;
}

namespace {

bool parse_double(const std::string& text, double& out) {
  if (text == "inf" || text == "+inf") { out = INFINITY; return true; }
  if (text == "-inf") { out = -INFINITY; return true; }
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  out = std::strtod(begin, &end);
  return end != begin && *end == '\0' && errno == 0;
}

bool parse_int(const std::string& text, std::int64_t& out) {
  double d;
  if (!parse_double(text, d) || !std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e18)
    return false;
  out = static_cast<std::int64_t>(d);
  return true;
}

std::string describe_range(const ParamSpec& s) {
  std::ostringstream os;
  // Bounds print exactly (1099511627776, not 1.09951e+12): a user copies them into the file.
  if (s.min > -1e300 && s.max < 1e300)
    os << "between " << format_double(s.min) << " and " << format_double(s.max);
  else if (s.min > -1e300)
    os << ">= " << format_double(s.min);
  else
    os << "<= " << format_double(s.max);
  return os.str();
}

void check_range(const ParamSpec& s, double v, const std::string& what, const SourceLoc& loc) {
  // Whole numbers print in full (4611686018427387904, not 4.6116860184273879e+18).
  const bool whole = v == std::floor(v) && std::fabs(v) < 9.2e18;
  const std::string text = whole ? std::to_string(static_cast<std::int64_t>(v)) : format_double(v);
  if (v < s.min || v > s.max)
    throw Error(loc, what + ": parameter '" + s.name + "' = " + text +
                         " is out of range; it must be " + describe_range(s));
}

}  // namespace

Params ParamSchema::validate(const RawParams& raw, const std::string& what, const SourceLoc& where) const {
  std::vector<std::string> names;
  for (const auto& s : specs_) names.push_back(s.name);
  for (const auto& [key, value] : raw) {
    bool known = false;
    for (const auto& s : specs_) known = known || s.name == key;
    if (!known) {
      std::string msg = what + ": unknown parameter '" + key + "'";
      std::string near = nearest_name(key, names);
      if (!near.empty()) msg += "; did you mean '" + near + "'?";
      msg += names.empty() ? " (this unit type takes no parameters)"
                           : " (valid parameters: " + join_names(names) + ")";
      throw Error(value.loc, msg);
    }
  }
  Params out;
  for (const auto& s : specs_) {
    auto it = raw.find(s.name);
    RawParam value;
    SourceLoc loc = where;
    if (it != raw.end()) {
      value = it->second;
      loc = value.loc;
    } else if (s.default_value) {
      value.text = *s.default_value;
      value.is_list = s.type == ParamType::DoubleList;
      if (value.is_list) {
        // Defaults for lists are written "a,b,c" (or empty).
        std::stringstream ss(value.text);
        std::string item;
        while (std::getline(ss, item, ',')) if (!item.empty()) value.list.push_back(item);
      }
    } else {
      throw Error(where, what + ": missing required parameter '" + s.name + "' (" + param_type_name(s.type) +
                             ": " + s.doc + ")");
    }
    const std::string bad = what + ": parameter '" + s.name + "' ";
    if (s.type == ParamType::DoubleList) {
      if (!value.is_list) throw Error(loc, bad + "must be a list of numbers, e.g. [1, 2, 3]");
      std::vector<double> list;
      for (const auto& item : value.list) {
        double d;
        if (!parse_double(item, d)) throw Error(loc, bad + "has '" + item + "', which is not a number");
        list.push_back(d);
      }
      out.set(s.name, list);
      continue;
    }
    if (value.is_list) throw Error(loc, bad + "must be a single " + param_type_name(s.type) + ", not a list");
    switch (s.type) {
      case ParamType::Int: {
        std::int64_t i;
        double d;
        if (!parse_int(value.text, i)) {
          // A whole number too large for 64 bits is out of range, not "not an integer".
          if (parse_double(value.text, d) && d == std::floor(d)) check_range(s, d, what, loc);
          throw Error(loc, bad + "must be an integer, got '" + value.text + "'");
        }
        check_range(s, static_cast<double>(i), what, loc);
        out.set(s.name, i);
        break;
      }
      case ParamType::Double: {
        double d;
        if (!parse_double(value.text, d)) throw Error(loc, bad + "must be a number, got '" + value.text + "'");
        check_range(s, d, what, loc);
        out.set(s.name, d);
        break;
      }
      case ParamType::Bool: {
        if (value.text == "true" || value.text == "1") out.set(s.name, true);
        else if (value.text == "false" || value.text == "0") out.set(s.name, false);
        else throw Error(loc, bad + "must be true or false, got '" + value.text + "'");
        break;
      }
      case ParamType::String: {
        if (!s.choices.empty()) {
          bool ok = false;
          for (const auto& c : s.choices) ok = ok || c == value.text;
          if (!ok) {
            std::string msg = bad + "has unknown value '" + value.text + "'";
            std::string near = nearest_name(value.text, s.choices);
            if (!near.empty()) msg += "; did you mean '" + near + "'?";
            throw Error(loc, msg + " (valid: " + join_names(s.choices) + ")");
          }
        }
        out.set(s.name, value.text);
        break;
      }
      case ParamType::DoubleList: break;
    }
  }
  return out;
}

Params ParamSchema::complete(const Params& given, const std::string& what) const {
  // Re-express the typed values as raw text and run the one validation path.
  RawParams raw;
  auto text = given.as_text();
  for (const auto& s : specs_) {
    auto it = text.find(s.name);
    if (it == text.end()) continue;
    RawParam r;
    if (s.type == ParamType::DoubleList) {
      r.is_list = true;
      for (double d : given.get_list(s.name)) r.list.push_back(format_double(d));
    } else {
      r.text = it->second;
    }
    raw[s.name] = r;
  }
  for (const auto& [name, t] : text)
    if (!raw.count(name)) raw[name] = RawParam{t, {}, false, {}};
  return validate(raw, what, SourceLoc{});
}

}  // namespace streamsim
