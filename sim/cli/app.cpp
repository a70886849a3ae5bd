#include <cstdlib>
#include <iostream>

#include "sim/cli/cli_usage.h"
#include "sim/cli/commands.h"
#include "sim/core/error.h"
#include "sim/core/memory_limit.h"

namespace streamsim::cli {

namespace {

// Every subcommand, in the order `streamsim --help` lists them.
using AddCommand = void (*)(CLI::App&);
const AddCommand kCommands[] = {
    add_run_command,    add_validate_command, add_graph_command,      add_units_command,
    add_passes_command, add_compile_command,  add_sweep_command,      add_merge_command,
    add_size_command,   add_spatial_command,  add_completion_command,
};

// A parse error in words: the unknown subcommand or option with a "did you mean", a missing
// subcommand with the list, else CLI11's own message.
std::string usage_error(const CLI::App& app, const CLI::ParseError& e, int argc,
                        const char* const* argv) {
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  std::string msg = diagnose_unknown_words(app, args);
  if (!msg.empty()) return msg;
  if (dynamic_cast<const CLI::RequiredError*>(&e) && app.get_subcommands().empty()) {
    std::vector<std::string> names;
    for (const CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
      names.push_back(s->get_name());
    return "give a subcommand: " + join_names(names) + " (`streamsim --help` describes them)";
  }
  return e.what();
}

}  // namespace

int run_cli(int argc, const char* const* argv) {
  CLI::App app{"streamsim: cycle-accurate simulator of streaming dataflow hardware", "streamsim"};
  app.set_version_flag("--version", std::string("streamsim ") + STREAMSIM_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 ok, 1 usage or input error, 2 deadlock (run), 3 --max-cycles reached (run),\n"
      "4 a sink's expected values did not match (run), 130 stopped by Ctrl-C or SIGTERM.\n"
      "`streamsim SUBCOMMAND --help` gives each subcommand's. Docs: docs/cli.md");
  // Global: every subcommand that runs a simulation estimates its memory first.
  app.add_option_function<std::string>(
         "--memory-limit",
         [](const std::string& text) {
           set_memory_limit(parse_byte_size(text, "--memory-limit"), "--memory-limit");
           // Worker processes (sweeps) read the limit from the environment.
           ::setenv("STREAMSIM_MEMORY_LIMIT", text.c_str(), 1);
         },
         "refuse a run whose estimated memory (FIFO rings, held tokens, tensors) is above SIZE, "
         "e.g. 8G (default: $STREAMSIM_MEMORY_LIMIT, else 50% of physical memory)")
      ->type_name("SIZE");
  for (AddCommand add : kCommands) add(app);
  // CLI11 copies the app's footer into every subcommand made after it is set; each
  // subcommand lists its own statuses instead (`size --help` must not speak of --max-cycles).
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_footer() == app.get_footer())
      sub->footer("Exit status: 0 ok, 1 usage or input error, 130 stopped by Ctrl-C or SIGTERM.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "streamsim: error: " << usage_error(app, e, argc, argv) << "\n";
    return kExitError;
  } catch (const CommandExit& e) {
    return e.code;
  } catch (const Error& e) {
    std::cerr << "streamsim: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::bad_alloc&) {
    std::cerr << "streamsim: error: out of memory (channel depths too large for this machine?)\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "streamsim: error: internal: " << e.what() << "\n";
    return kExitError;
  }
  return kExitOk;
}

}  // namespace streamsim::cli
