#include "sim/cli/cli_usage.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "sim/core/error.h"

namespace streamsim::cli {

namespace {

bool looks_like_option(const std::string& word) {
  // "-5" and "-1000:" are values (a negative number, a trace window), not options.
  if (word.size() < 2 || word[0] != '-') return false;
  const char c = word[1] == '-' && word.size() > 2 ? word[2] : word[1];
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// "--json=out.json" -> "--json"; "-j4" -> "-j".
std::string option_part(const std::string& word) {
  if (word.compare(0, 2, "--") == 0) return word.substr(0, word.find('='));
  return word.substr(0, 2);
}

std::vector<std::string> all_option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options())
    for (const auto& n : option_names(*o)) names.push_back(n);
  return names;
}

std::string unknown_option(const std::string& word, const CLI::App& app, const std::string& where) {
  const std::string name = option_part(word);
  const std::vector<std::string> names = all_option_names(app);
  std::string msg = where + "unknown option '" + name + "'";
  const std::string near = nearest_name(name, names);
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  const std::string help =
      app.get_parent() ? "streamsim " + app.get_name() + " --help" : "streamsim --help";
  return msg + " (`" + help + "` lists the options)";
}

std::string ranged(const std::string& what, const std::string& text, const std::string& bounds) {
  return "must be " + what + " " + bounds + ", not '" + text + "'";
}

}  // namespace

std::vector<std::string> option_names(const CLI::Option& option) {
  std::vector<std::string> names;
  for (const auto& n : option.get_lnames()) names.push_back("--" + n);
  for (const auto& n : option.get_snames()) names.push_back("-" + n);
  return names;
}

std::string diagnose_unknown_words(const CLI::App& app, const std::vector<std::string>& args) {
  std::size_t i = 0;
  // Options before the subcommand belong to streamsim itself (--help, --version): no values.
  for (; i < args.size() && looks_like_option(args[i]); ++i) {
    const std::vector<std::string> names = all_option_names(app);
    if (std::find(names.begin(), names.end(), option_part(args[i])) == names.end())
      return unknown_option(args[i], app, "");
  }
  if (i == args.size()) return "";
  std::vector<std::string> subcommands;
  const CLI::App* sub = nullptr;
  for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; })) {
    subcommands.push_back(s->get_name());
    if (s->get_name() == args[i]) sub = s;
  }
  if (!sub) {
    std::string msg = "unknown subcommand '" + args[i] + "'";
    const std::string near = nearest_name(args[i], subcommands);
    if (!near.empty()) msg += "; did you mean '" + near + "'?";
    return msg + " (subcommands: " + join_names(subcommands) +
           "; `streamsim --help` describes them)";
  }
  const std::vector<std::string> names = all_option_names(*sub);
  for (++i; i < args.size(); ++i) {
    if (args[i] == "--") break;  // the rest are positional
    if (!looks_like_option(args[i])) continue;
    if (std::find(names.begin(), names.end(), option_part(args[i])) == names.end())
      return unknown_option(args[i], *sub, sub->get_name() + ": ");
  }
  return "";
}

CLI::Validator whole_number(std::int64_t min, std::int64_t max, bool show_max) {
  // A value above the type's own limit is refused all the same; it is just not advertised.
  const std::string bounds = show_max ? "from " + std::to_string(min) + " to " + std::to_string(max)
                                      : ">= " + std::to_string(min);
  return CLI::Validator(
      [min, max, show_max, bounds](std::string& text) -> std::string {
        errno = 0;
        char* end = nullptr;
        const long long v = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || end == text.c_str() || *end != '\0')
          return ranged("a whole number", text, bounds);
        if (v < min && errno != ERANGE) return ranged("a whole number", text, bounds);
        if (errno == ERANGE || v > max)
          return show_max || text[0] == '-'
                     ? ranged("a whole number", text, bounds)
                     : "must be at most " + std::to_string(max) + ", not '" + text + "'";
        return std::string();
      },
      "", "whole number " + bounds);
}

CLI::Validator unsigned_whole_number(std::uint64_t min) {
  const std::string bounds = ">= " + std::to_string(min);
  return CLI::Validator(
      [min, bounds](std::string& text) -> std::string {
        // strtoull would read "-5" as 2^64 - 5.
        if (text.empty() || text.find('-') != std::string::npos)
          return ranged("a whole number", text, bounds);
        errno = 0;
        char* end = nullptr;
        const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
        if (end == text.c_str() || *end != '\0' || v < min)
          return ranged("a whole number", text, bounds);
        if (errno == ERANGE)
          return "must be at most " + std::to_string(std::numeric_limits<std::uint64_t>::max()) +
                 ", not '" + text + "'";
        return std::string();
      },
      "", "whole number " + bounds);
}

CLI::Validator number_at_least(double min) {
  std::string bound = std::to_string(min);
  bound.erase(bound.find_last_not_of('0') + 1);  // 0.000000 -> 0.
  if (!bound.empty() && bound.back() == '.') bound.pop_back();
  const std::string bounds = ">= " + bound;
  return CLI::Validator(
      [min, bounds](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < min)
          return ranged("a number", text, bounds);
        return std::string();
      },
      "", "number " + bounds);
}

}  // namespace streamsim::cli
