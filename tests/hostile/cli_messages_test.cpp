// Command lines and inputs a careless user gives: misspelt subcommands and options, numbers
// out of range, `--set` values of the wrong kind, and the small inconsistencies of issue 12
// (class 11). Each case checks the exit status, that the message names the option or the
// file:line, and that nothing in the scratch folder changed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tests/support/file_tree_snapshot.h"
#include "tests/support/run_streamsim.h"
#include "tests/support/scratch_dir.h"

namespace streamsim::testing {
namespace {

namespace fs = std::filesystem;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// CLI11's own range checks print the largest double in full (309 digits).
bool has_huge_number(const std::string& text) {
  return std::regex_search(text, std::regex("[0-9]{25,}"));
}

class CliMessages : public ::testing::Test {
 protected:
  void SetUp() override { dev_null_ = node_kind("/dev/null"); }
  void TearDown() override {
    EXPECT_EQ(node_kind("/dev/null"), dev_null_);
    if (before_) {
      EXPECT_EQ(FileTreeSnapshot(dir_.path()).changes_since(*before_, allowed_),
                std::set<std::string>{});
    }
  }
  // Runs streamsim; the scratch folder must be unchanged afterwards except for `allowed`.
  CliResult run(const std::string& args, const std::set<std::string>& allowed = {}) {
    if (!before_) before_.emplace(dir_.path());
    allowed_.insert(allowed.begin(), allowed.end());
    return run_streamsim(args, dir_.path());
  }
  ScratchDir dir_{"hostile-cli"};
  std::string dev_null_;
  std::optional<FileTreeSnapshot> before_;
  std::set<std::string> allowed_;
};

TEST_F(CliMessages, AnUnknownSubcommandIsNamedWithTheNearest) {
  CliResult r = run("foo");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "unknown subcommand 'foo'")) << r.err;
  EXPECT_TRUE(has(r.err, "run, validate, graph")) << r.err;
  r = run("rn configs/pipeline.yaml");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "unknown subcommand 'rn'; did you mean 'run'?")) << r.err;
  EXPECT_FALSE(has(r.err, "A subcommand is required")) << r.err;
}

TEST_F(CliMessages, AMisspeltOptionIsNamedWithTheNearest) {
  CliResult r = run("--versio");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "unknown option '--versio'; did you mean '--version'?")) << r.err;
  r = run("run configs/pipeline.yaml --jsn " + (dir_ / "r.json"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "run: unknown option '--jsn'; did you mean '--json'?")) << r.err;
  EXPECT_TRUE(has(r.err, "streamsim run --help")) << r.err;
  r = run("sweep configs/studies/softmax_row_depth.yaml --jobz=2 --out " + (dir_ / "o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "sweep: unknown option '--jobz'; did you mean '--jobs'?")) << r.err;
}

TEST_F(CliMessages, RangeErrorsShowReadableBounds) {
  CliResult r = run("run configs/pipeline.yaml --max-cycles -5");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--max-cycles: must be a whole number >= 0, not '-5'")) << r.err;
  EXPECT_FALSE(has_huge_number(r.err)) << r.err;
  r = run("sweep configs/studies/softmax_row_depth.yaml -j 0 --out " + (dir_ / "o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--jobs: must be a whole number >= 1, not '0'")) << r.err;
  EXPECT_FALSE(has_huge_number(r.err)) << r.err;
  r = run("spatial configs/spatial/fusemax.yaml --arch configs/spatial/cloud.yaml --seq 0");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--seq: must be a whole number >= 1, not '0'")) << r.err;
  r = run("sweep configs/studies/softmax_row_depth.yaml --timeout -1 --out " + (dir_ / "o"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--timeout: must be a number >= 0, not '-1'")) << r.err;
  r = run("run configs/pipeline.yaml --trace-limit -3 --trace " + (dir_ / "t.vcd"));
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "--trace-limit: must be a whole number >= 0, not '-3'")) << r.err;
  r =
      run("spatial configs/spatial/fusemax.yaml --arch configs/spatial/cloud.yaml --seq 64 "
          "--max-simulated-epochs 3");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "from 16 to 1099511627776, not '3'")) << r.err;
}

TEST_F(CliMessages, ASetOfTheWrongKindIsReportedAtTheSet) {
  CliResult r = run("run configs/pipeline.yaml --set tokens=abc");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "configs/pipeline.yaml:11:")) << r.err;  // where tokens is declared
  EXPECT_TRUE(has(r.err, "--set tokens=abc: parameter 'tokens' is a number")) << r.err;
  EXPECT_FALSE(has(r.err, "count")) << r.err;  // not the derived use in the source's params
  // An expression that gives a number is fine; text where the file has text is fine too.
  r = run("validate configs/pipeline.yaml --set 'tokens=${2*8}'");
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(CliMessages, HelpListsEveryExitStatusAndOnlyOwnOptions) {
  CliResult r = run("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* status : {"0 ok", "1 usage", "2 deadlock", "3 --max-cycles", "4 a sink", "130"})
    EXPECT_TRUE(has(r.out, status)) << status << "\n" << r.out;
  r = run("run --help");
  EXPECT_TRUE(has(r.out, "130 stopped by Ctrl-C")) << r.out;
  // Every option `size --help` mentions is one `size` has.
  r = run("size --help");
  EXPECT_EQ(r.code, 0);
  const std::set<std::string> own = {"--help", "--set", "--engine", "--unbounded-depth"};
  std::smatch m;
  std::string text = r.out;
  while (std::regex_search(text, m, std::regex("--[a-z][a-z-]*"))) {
    EXPECT_TRUE(own.count(m.str())) << m.str() << " in\n" << r.out;
    text = m.suffix();
  }
}

TEST_F(CliMessages, UnitsNamesAnUnknownTypeWithoutAFakeLocation) {
  CliResult r = run("units reduse");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "unknown unit type 'reduse'; did you mean 'reduce'?")) << r.err;
  EXPECT_FALSE(has(r.err, "<built-in>")) << r.err;
}

TEST_F(CliMessages, UnitsBriefAlignsEveryDescription) {
  CliResult r = run("units --brief");
  EXPECT_EQ(r.code, 0);
  std::istringstream lines(r.out);
  std::string line;
  std::set<std::size_t> columns;
  std::size_t longest = 0;
  while (std::getline(lines, line)) {
    const std::size_t name_end = line.find(' ');
    const std::size_t text = line.find_first_not_of(' ', name_end);
    ASSERT_NE(text, std::string::npos) << line;
    longest = std::max(longest, name_end);
    columns.insert(text);
  }
  EXPECT_EQ(columns.size(), 1u) << r.out;
  EXPECT_GT(*columns.begin(), longest) << r.out;
}

TEST_F(CliMessages, GraphDotShowsLatenciesOnlyWhenNotOne) {
  const std::string file =
      dir_.write("lat.yaml",
                 "units:\n  - {name: s, type: source, params: {count: 4}}\n  - {name: m, type: "
                 "map, params: {op: id}}\n"
                 "  - {name: k, type: sink}\nchannels:\n  - {from: s.out, to: m.in, latency: 3}\n"
                 "  - {from: m.out, to: k.in, response_latency: 2}\n");
  CliResult r = run("graph --dot " + file);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "depth 2 L3\"")) << r.out;
  EXPECT_TRUE(has(r.out, "depth 2 R2\"")) << r.out;
  EXPECT_FALSE(has(r.out, "R1")) << r.out;
  EXPECT_FALSE(has(r.out, "L1")) << r.out;
}

TEST_F(CliMessages, CountsArePluralisedRight) {
  const std::string file = dir_.write(
      "one.yaml",
      "units:\n  - {name: s, type: source, params: {count: 4}}\n  - {name: k, type: sink}\n"
      "channels:\n  - {from: s.out, to: k.in}\n");
  CliResult r = run("validate " + file);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "ok: 2 units, 1 channel\n");
}

TEST_F(CliMessages, TraceLimitZeroWritesEachTimeOnce) {
  const std::string vcd = dir_ / "t.vcd";
  CliResult r = run("run configs/pipeline.yaml -q --set tokens=100 --trace-limit 0 --trace " + vcd,
                    {"/t.vcd"});
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(slurp(vcd));
  std::string line;
  std::set<std::string> times;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] == '#') {
      EXPECT_TRUE(times.insert(line).second) << line << " twice";
    }
  }
  EXPECT_FALSE(times.empty());
}

TEST_F(CliMessages, TheTimelineDoesNotClaimNanoseconds) {
  const std::string json = dir_ / "t.json";
  CliResult r =
      run("run configs/pipeline.yaml -q --set tokens=100 --timeline " + json, {"/t.json"});
  EXPECT_EQ(r.code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(slurp(json));
  EXPECT_FALSE(doc.contains("displayTimeUnit")) << doc["displayTimeUnit"];
  EXPECT_EQ(doc["otherData"]["time_unit"], "1 us of trace time = 1 cycle");
}

TEST_F(CliMessages, AnEmptyCascadeIsAnError) {
  const std::string empty = dir_.write("empty.cascade", "");
  const std::string decl = dir_.write("decl.cascade", "# ranks only\nrank M = 4\ninput A[M]\n");
  CliResult r = run("passes " + empty);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, empty + ":1:1: the cascade defines no Einsum (the file is empty)"))
      << r.err;
  r = run("compile " + decl + " --order m");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, decl + ":1:1: the cascade defines no Einsum;")) << r.err;
}

TEST_F(CliMessages, AStudyWithAnUnknownParameterFailsAtLoad) {
  const std::string study = dir_.write("s.yaml", "config: " STREAMSIM_SOURCE_DIR
                                                 "/configs/softmax_row.yaml\nset: {rows: 2}\n"
                                                 "grid:\n  N: [16, 32]\n  lnog_depth: [8, 64]\n");
  CliResult r = run("sweep " + study + " -j 1 --out " + (dir_ / "out"), {"/out"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, study + ":5:3: parameter 'lnog_depth' is not declared")) << r.err;
  EXPECT_TRUE(has(r.err, "did you mean 'long_depth'?")) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out/points")) << "points ran";
  r = run("sweep " + study + " --list");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "lnog_depth")) << r.err;
}

TEST_F(CliMessages, NestedInitialRowsMustHaveTheChannelsWidth) {
  const std::string file = dir_.write(
      "init.yaml",
      "units:\n  - {name: s, type: source, params: {count: 4}}\n  - {name: k, type: sink}\n"
      "channels:\n  - {from: s.out, to: k.in, depth: 4, initial: [[0, 1]]}\n");
  CliResult r = run("validate " + file);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, file + ":5:")) << r.err;
  EXPECT_TRUE(
      has(r.err, "channel s.out -> k.in: an initial token of 2 values on a channel of width 1"))
      << r.err;
  EXPECT_TRUE(has(r.err, "initial: [0, 1]")) << r.err;  // the fix for two scalar tokens
}

TEST_F(CliMessages, TheDeadlockDiagnosisCountsWhatTheTableCounts) {
  const std::string json = dir_ / "fj.json";
  CliResult r =
      run("run -q configs/fork_join.yaml --set short_depth=8 --json " + json, {"/fj.json"});
  EXPECT_EQ(r.code, 2) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(slurp(json));
  std::uint64_t firings = 0;
  for (const auto& u : doc["units"])
    if (u["name"] == "src") firings = u["firings"];
  EXPECT_TRUE(has(r.err, "[source: sent " + std::to_string(firings) + " of 64000 tokens, token " +
                             std::to_string(firings + 1) + " waits to be sent]"))
      << r.err;
}

TEST_F(CliMessages, TheReadmeSweepExitsZeroAndRecordsItsDeadlocks) {
  CliResult r =
      run("sweep configs/studies/softmax_row_depth.yaml -j 2 --out " + (dir_ / "sw"), {"/sw"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has(r.err, "deadlocked")) << r.err;
  EXPECT_TRUE(has(r.err, " 0 errors")) << r.err;
  const std::string csv = slurp(dir_ / "sw/results.csv");
  EXPECT_TRUE(has(csv, ",deadlock,")) << csv;
  EXPECT_TRUE(has(csv, ",finished,")) << csv;
}

TEST_F(CliMessages, ASweepWithAnErrorPointExitsOne) {
  // long_depth=0 is refused by the loader (depth must be >= 1): an error, not a result.
  const std::string study = dir_.write("s.yaml", "config: " STREAMSIM_SOURCE_DIR
                                                 "/configs/softmax_row.yaml\nset: {rows: 2}\n"
                                                 "grid:\n  N: [16]\n  long_depth: [0, 64]\n");
  CliResult r = run("sweep " + study + " -j 1 --out " + (dir_ / "out"), {"/out"});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(has(r.err, "1 error")) << r.err;
  EXPECT_TRUE(has(r.err, "ended in an error")) << r.err;
  EXPECT_TRUE(has(slurp(dir_ / "out/results.csv"), ",error,"));
}

TEST_F(CliMessages, BashCompletionKnowsSubcommandsOptionsAndValues) {
  const std::string script = dir_ / "streamsim.bash";
  CliResult r = run("completion bash");
  EXPECT_EQ(r.code, 0) << r.err;
  std::ofstream(script) << r.out;
  allowed_.insert("/streamsim.bash");
  auto complete = [&](const std::string& words) {
    const std::string out = dir_ / "completed.txt";
    allowed_.insert("/completed.txt");
    const std::string cmd = "bash -c 'source " + script + " && COMP_WORDS=(" + words +
                            ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _streamsim && "
                            "printf \"%s\\n\" \"${COMPREPLY[@]}\"' > " +
                            out + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    return slurp(out);
  };
  EXPECT_EQ(complete("streamsim ru"), "run\n");
  EXPECT_TRUE(has(complete("streamsim run --js"), "--json\n"));
  EXPECT_EQ(complete("streamsim run f.yaml --engine s"), "systemc\n");
  EXPECT_TRUE(has(complete("streamsim units red"), "reduce\n"));
  EXPECT_FALSE(has(complete("streamsim size --"), "--max-cycles"));
  r = run("completion zsh");
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(has(r.err, "zsh")) << r.err;
}

}  // namespace
}  // namespace streamsim::testing
