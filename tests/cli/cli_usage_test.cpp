#include "sim/cli/cli_usage.h"

#include <gtest/gtest.h>

namespace streamsim::cli {
namespace {

// A small app shaped like streamsim's: two subcommands with a few options.
struct TestApp {
  CLI::App app{"test", "streamsim"};
  std::string file, json;
  int jobs = 1;
  bool quiet = false;
  TestApp() {
    app.set_version_flag("--version", "1");
    CLI::App* run = app.add_subcommand("run", "run");
    run->add_option("FILE", file);
    run->add_option("--json", json);
    run->add_flag("-q,--quiet", quiet);
    CLI::App* sweep = app.add_subcommand("sweep", "sweep");
    sweep->add_option("-j,--jobs", jobs);
  }
  std::string diagnose(const std::vector<std::string>& args) const {
    return diagnose_unknown_words(app, args);
  }
};

TEST(CliUsage, NamesAnUnknownSubcommandWithTheNearest) {
  TestApp t;
  EXPECT_EQ(t.diagnose({"rnu", "x.yaml"}),
            "unknown subcommand 'rnu'; did you mean 'run'? (subcommands: run, sweep; `streamsim "
            "--help` describes them)");
  EXPECT_EQ(t.diagnose({"zzzzzz"}),
            "unknown subcommand 'zzzzzz' (subcommands: run, sweep; `streamsim --help` describes "
            "them)");
}

TEST(CliUsage, NamesAnUnknownOptionOfTheSubcommand) {
  TestApp t;
  EXPECT_EQ(t.diagnose({"--versoin"}),
            "unknown option '--versoin'; did you mean '--version'? (`streamsim --help` lists the "
            "options)");
  EXPECT_EQ(t.diagnose({"run", "x.yaml", "--jsno=r.json"}),
            "run: unknown option '--jsno'; did you mean '--json'? (`streamsim run --help` lists "
            "the options)");
  // Options of another subcommand are unknown here; short options are checked too.
  EXPECT_NE(t.diagnose({"run", "-j", "2"}).find("run: unknown option '-j'"), std::string::npos);
}

TEST(CliUsage, KnownWordsNegativeNumbersAndPositionalsAreNotFlagged) {
  TestApp t;
  EXPECT_EQ(t.diagnose({"run", "x.yaml", "--json", "r.json", "-q"}), "");
  EXPECT_EQ(t.diagnose({"sweep", "-j", "-5"}), "");       // a value, for the range check
  EXPECT_EQ(t.diagnose({"run", "--", "--not-an-option"}), "");
  EXPECT_EQ(t.diagnose({}), "");
}

std::string check(const CLI::Validator& v, std::string text) { return v(text); }

TEST(CliUsage, RangeMessagesAreReadable) {
  EXPECT_EQ(check(whole_number_at_least<int>(1), "0"), "must be a whole number >= 1, not '0'");
  EXPECT_EQ(check(whole_number_at_least<int>(1), "4"), "");
  EXPECT_EQ(check(whole_number_at_least<int>(1), "2x"), "must be a whole number >= 1, not '2x'");
  EXPECT_EQ(check(whole_number_at_least<int>(1), "99999999999"),
            "must be at most 2147483647, not '99999999999'");
  EXPECT_EQ(check(whole_number(16, 64), "65"), "must be a whole number from 16 to 64, not '65'");
  EXPECT_EQ(check(unsigned_whole_number(), "-1"), "must be a whole number >= 0, not '-1'");
  EXPECT_EQ(check(unsigned_whole_number(1), "0"), "must be a whole number >= 1, not '0'");
  EXPECT_EQ(check(unsigned_whole_number(), "18446744073709551615"), "");
  EXPECT_EQ(check(number_at_least(0), "-0.5"), "must be a number >= 0, not '-0.5'");
  EXPECT_EQ(check(number_at_least(0), "nan"), "must be a number >= 0, not 'nan'");
  EXPECT_EQ(check(number_at_least(0), "2.5"), "");
}

}  // namespace
}  // namespace streamsim::cli
