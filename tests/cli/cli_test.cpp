// Runs the built `streamsim` binary on the shipped configs and checks exit statuses, output
// and the JSON report.
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_streamsim.h"
#include <sstream>

namespace {

using Result = streamsim::testing::CliResult;
using streamsim::testing::slurp;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/streamsim_cli_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  Result run(const std::string& args) { return streamsim::testing::run_streamsim(args, dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir_.c_str());
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string dir_;
};

TEST_F(Cli, VersionAndHelp) {
  Result r = run("--version");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, std::string("streamsim ") + STREAMSIM_VERSION + "\n");
  r = run("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* cmd : {"run", "validate", "graph", "units"}) EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  for (const char* cmd : {"run", "validate", "graph", "units"}) {
    r = run(std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << cmd;
  }
  EXPECT_NE(run("run --help").out.find("--set NAME=VALUE"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitOne) {
  Result r = run("");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("streamsim: error:"), std::string::npos);
  EXPECT_EQ(run("frobnicate").code, 1);
  EXPECT_EQ(run("run").code, 1);  // FILE is required
  EXPECT_EQ(run("run configs/pipeline.yaml --max-cycles -5").code, 1);
  r = run("run configs/pipeline.yaml --engine fsat");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown engine 'fsat'; did you mean 'fast'?"), std::string::npos) << r.err;
}

TEST_F(Cli, RunPipelinePrintsTheReport) {
  Result r = run("run configs/pipeline.yaml --set tokens=1000");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("cycles      1005\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tokens out  1000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("status      finished"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
  r = run("run -q configs/pipeline.yaml --set tokens=1000");
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST_F(Cli, JsonReportIsWrittenAtomicallyWithTheDocumentedKeys) {
  Result r = run("run -q configs/pipeline.yaml --set tokens=1000 --set depth=1 --json '" + dir_ + "/report.json'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(files(), std::vector<std::string>{"report.json"});  // no temporary left behind
  nlohmann::json j = nlohmann::json::parse(slurp(dir_ + "/report.json"));
  for (const char* key : {"cycles", "status", "engine", "units", "channels", "total_buffer", "transfers",
                          "wall_seconds", "params", "tokens_out", "throughput", "check"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["status"], "finished");
  EXPECT_EQ(j["engine"], "fast");
  EXPECT_EQ(j["params"]["tokens"], 1000);
  EXPECT_EQ(j["params"]["depth"], 1);
  EXPECT_EQ(j["tokens_out"], 1000);
  EXPECT_EQ(j["units"].size(), 6u);
  EXPECT_EQ(j["channels"].size(), 5u);
  EXPECT_EQ(j["channels"][0]["depth"], 1);
  EXPECT_GT(j["cycles"].get<long>(), 1900);  // depth 1: half rate
  // --json - writes the JSON alone on stdout.
  r = run("run configs/matmul.yaml --json -");
  ASSERT_EQ(r.code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["check"], "passed");
  EXPECT_EQ(j["cycles"], 26);
}

TEST_F(Cli, EnginesAgreeOnTheShippedConfigs) {
  for (const char* config : {"configs/matmul.yaml", "configs/fork_join.yaml --set groups=20",
                             "configs/pipeline.yaml --set tokens=5000 --set depth=1"}) {
    Result fast = run(std::string("run ") + config + " --json -");
    Result sysc = run(std::string("run ") + config + " --engine systemc --json -");
    ASSERT_EQ(fast.code, 0) << config << fast.err;
    ASSERT_EQ(sysc.code, 0) << config << sysc.err;
    nlohmann::json a = nlohmann::json::parse(fast.out), b = nlohmann::json::parse(sysc.out);
    EXPECT_EQ(a["cycles"], b["cycles"]) << config;
    EXPECT_EQ(a["total_buffer"], b["total_buffer"]) << config;
    EXPECT_EQ(b["engine"], "systemc");
  }
}

TEST_F(Cli, DeadlockExitsTwoWithADiagnosis) {
  Result r = run("run configs/fork_join.yaml --set short_depth=8 --json '" + dir_ + "/dl.json'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("deadlock at cycle"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("channel 'short', which is full (8 of depth 8"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("wait-for cycle:"), std::string::npos) << r.err;
  nlohmann::json j = nlohmann::json::parse(slurp(dir_ + "/dl.json"));
  EXPECT_EQ(j["status"], "deadlock");
  EXPECT_TRUE(j.contains("deadlock"));
  EXPECT_EQ(run("run -q configs/fork_join.yaml --set groups=3").code, 0);
  // The threshold documented in configs/fork_join.yaml and docs/cli.md: group - 1.
  EXPECT_EQ(run("run -q configs/fork_join.yaml --set groups=3 --set short_depth=62").code, 2);
  EXPECT_EQ(run("run -q configs/fork_join.yaml --set groups=3 --set short_depth=63").code, 0);
}

TEST_F(Cli, MaxCyclesExitsThree) {
  Result r = run("run -q configs/pipeline.yaml --max-cycles 100");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--max-cycles 100"), std::string::npos) << r.err;
}

TEST_F(Cli, WrongExpectedValuesExitFour) {
  std::string text = slurp(STREAMSIM_SOURCE_DIR "/configs/matmul.yaml");
  auto at = text.find("-4, 2.5]");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, "-4, 2.0]");
  Result r = run("run -q '" + write("bad.yaml", text) + "'");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("check failed: sink 'out'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("first at value 5"), std::string::npos) << r.err;
}

TEST_F(Cli, InputErrorsNameFileLineAndColumn) {
  std::string path = write("typo.yaml", "units:\n  - {name: s, type: source, params: {kind: ramp, cuont: 3}}\n");
  Result r = run("validate '" + path + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.rfind("streamsim: error: " + path + ":2:50: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("did you mean 'count'?"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  r = run("run configs/pipeline.yaml --set tokenz=5");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("did you mean 'tokens'?"), std::string::npos) << r.err;
  r = run("run configs/pipeline.yaml --set tokens");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("expected NAME=VALUE"), std::string::npos) << r.err;
  r = run("run '" + dir_ + "/missing.yaml'");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("missing.yaml: cannot read the architecture file: no such file"),
            std::string::npos)
      << r.err;
  r = run("run '" + write("empty.yaml", "") + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("empty.yaml:1:1: the file is empty"), std::string::npos) << r.err;
  r = run("run '" + write("broken.yaml", "units: [\n") + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("malformed YAML"), std::string::npos) << r.err;
}

TEST_F(Cli, ValidateAndGraph) {
  Result r = run("validate configs/pipeline.yaml");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ok: 6 units, 5 channels\n");  // one of each: tests/hostile/cli_messages_test.cpp
  r = run("graph configs/fork_join.yaml --dot");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("digraph streamsim {", 0), 0u);
  EXPECT_NE(r.out.find("fork"), std::string::npos);
  r = run("graph configs/fork_join.yaml --dot -o '" + dir_ + "/g.dot'");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(slurp(dir_ + "/g.dot").rfind("digraph", 0), 0u);
  // The resolved YAML is itself a valid architecture with the same behaviour.
  r = run("graph configs/fork_join.yaml --yaml --set groups=10 -o '" + dir_ + "/resolved.yaml'");
  EXPECT_EQ(r.code, 0) << r.err;
  Result a = run("run configs/fork_join.yaml --set groups=10 --json -");
  Result b = run("run '" + dir_ + "/resolved.yaml' --json -");
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(nlohmann::json::parse(a.out)["cycles"], nlohmann::json::parse(b.out)["cycles"]);
  EXPECT_EQ(run("graph configs/fork_join.yaml").code, 1);  // no format chosen
}

TEST_F(Cli, UnitsDocumentsEveryType) {
  Result r = run("units");
  EXPECT_EQ(r.code, 0);
  for (const char* type : {"source", "sink", "map", "zip", "broadcast", "repeat", "pack", "flatmap", "reduce", "scan",
                           "matmul", "dot"})
    EXPECT_NE(("\n" + r.out).find(std::string("\n") + type + "\n"), std::string::npos) << type;
  r = run("units map");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("required"), std::string::npos);
  EXPECT_NE(r.out.find("square"), std::string::npos);
  r = run("units mpa");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("did you mean 'map'?"), std::string::npos) << r.err;
}

}  // namespace
