// `streamsim completion bash`: a bash completion script made from the command definitions
// themselves, so it never lists an option that does not exist or misses a new one.
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/core/error.h"
#include "sim/core/registry.h"

namespace streamsim::cli {

namespace {

// Options whose values are one of a few words; every other option's value is completed as a
// file name (most are files; for numbers the shell's file list is harmless).
const std::map<std::string, std::string> kValueWords = {
    {"--engine", "fast systemc"},
    {"--level", "tile pe"},
};

std::string words(const std::vector<std::string>& list) {
  return join_names(list, " ");
}

std::string bash_script(const CLI::App& root) {
  std::vector<std::string> subcommands;
  std::ostringstream cases;
  for (const CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; })) {
    subcommands.push_back(sub->get_name());
    std::vector<std::string> options, with_value;
    for (const CLI::Option* o : sub->get_options()) {
      for (const auto& n : option_names(*o)) {
        options.push_back(n);
        if (o->get_type_size() > 0) with_value.push_back(n);
      }
    }
    cases << "    " << sub->get_name() << ") opts='" << words(options) << "'; valued='"
          << words(with_value) << "' ;;\n";
  }
  std::vector<std::string> top;
  for (const CLI::Option* o : root.get_options())
    for (const auto& n : option_names(*o)) top.push_back(n);

  std::ostringstream s;
  s << "# bash completion for streamsim, made by `streamsim completion bash` (docs/cli.md).\n"
       "# Use: source <(streamsim completion bash), or save it as\n"
       "# ~/.local/share/bash-completion/completions/streamsim\n"
       "_streamsim() {\n"
       "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
       "  local sub='' i\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    case \"${COMP_WORDS[i]}\" in -*) ;; *) sub=\"${COMP_WORDS[i]}\"; break ;; esac\n"
       "  done\n"
       "  if [[ -z \"$sub\" ]]; then\n"
       "    COMPREPLY=($(compgen -W '"
    << words(subcommands) << " " << words(top)
    << "' -- \"$cur\"))\n"
       "    return\n"
       "  fi\n"
       "  local opts='' valued=''\n"
       "  case \"$sub\" in\n"
    << cases.str()
    << "  esac\n"
       "  case \"$prev\" in\n";
  for (const auto& [option, values] : kValueWords)
    s << "    " << option << ") COMPREPLY=($(compgen -W '" << values
      << "' -- \"$cur\")); return ;;\n";
  s << "  esac\n"
       "  if [[ \" $valued \" == *\" $prev \"* ]]; then\n"
       "    COMPREPLY=($(compgen -f -- \"$cur\")); return\n"
       "  fi\n"
       "  if [[ \"$cur\" == -* ]]; then\n"
       "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return\n"
       "  fi\n"
       "  case \"$sub\" in\n"
       "    units) COMPREPLY=($(compgen -W '"
    << words(UnitRegistry::instance().types())
    << "' -- \"$cur\")) ;;\n"
       "    completion) COMPREPLY=($(compgen -W 'bash' -- \"$cur\")) ;;\n"
       "    *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
       "  esac\n"
       "}\n"
       "complete -o filenames -o bashdefault -F _streamsim streamsim\n";
  return s.str();
}

}  // namespace

void add_completion_command(CLI::App& app) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "completion", "print a shell completion script: source <(streamsim completion bash)");
  cmd->add_option("SHELL", *shell, "the shell (bash)")->required()->check(CLI::IsMember({"bash"}));
  cmd->footer("Exit status: 0 ok, 1 usage error.");
  // The callback owns `shell`: the option writes into it while parsing, after this returns.
  cmd->callback([cmd, shell] { std::cout << bash_script(*cmd->get_parent()); });
}

}  // namespace streamsim::cli
