// `streamsim passes` through the CLI entry point.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/cli/commands.h"

namespace streamsim::cli {
namespace {

int run(std::vector<std::string> args, std::string* out, std::string* err = nullptr) {
  args.insert(args.begin(), "streamsim");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = run_cli(static_cast<int>(argv.size()), argv.data());
  *out = testing::internal::GetCapturedStdout();
  std::string e = testing::internal::GetCapturedStderr();
  if (err) *err = e;
  return code;
}

const std::string kDir = std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/";

TEST(PassesCommand, TextReport) {
  std::string out;
  ASSERT_EQ(run({"passes", kDir + "attention_3pass.cascade"}, &out), 0);
  EXPECT_NE(out.find("rank M (traversed as m; fiber of 8 elements): 3 passes"), std::string::npos) << out;
}

TEST(PassesCommand, JsonWithSizeOverride) {
  std::string out;
  ASSERT_EQ(run({"passes", kDir + "attention_1pass.cascade", "--set", "M=32", "--set", "M0=8", "--json"}, &out), 0);
  auto j = nlohmann::json::parse(out);
  bool found = false;
  for (const auto& i : j["inputs"])
    if (i["input"] == "K" && i["rank"] == "M") {
      found = true;
      EXPECT_EQ(i["pass_count"], 1);
      EXPECT_EQ(i["footprint"], 8);
    }
  EXPECT_TRUE(found);
}

TEST(PassesCommand, ErrorsExitOneWithLocation) {
  std::string out, err;
  EXPECT_EQ(run({"passes", kDir + "attention_3pass.cascade", "--set", "Q=3"}, &out, &err), kExitError);
  EXPECT_NE(err.find("names no rank"), std::string::npos) << err;
  EXPECT_EQ(run({"passes", kDir + "attention_3pass.cascade", "--set", "M=x"}, &out, &err), kExitError);
  EXPECT_NE(err.find("RANK=SIZE"), std::string::npos) << err;
  EXPECT_EQ(run({"passes", kDir + "missing.cascade"}, &out, &err), kExitError);
  EXPECT_NE(err.find("missing.cascade: cannot read the cascade file: no such file"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace streamsim::cli

namespace streamsim::cli {
namespace {

TEST(CompileCommand, WritesYamlThatRunsAndMatches) {
  std::string out, err;
  std::string yaml = testing::TempDir() + "/compiled_attention.yaml";
  ASSERT_EQ(run({"compile", kDir + "attention_3pass.cascade", "--order", "p,m", "--set", "M=12", "-o", yaml}, &out, &err),
            0)
      << err;
  EXPECT_NE(err.find("FIFO QK_bc.out0->map_sub.a depth 15"), std::string::npos) << err;
  EXPECT_EQ(run({"run", yaml}, &out, &err), kExitOk) << err;  // sinks check the evaluator's values
  EXPECT_NE(out.find("finished"), std::string::npos) << out;
}

TEST(CompileCommand, UnsupportedCascadeIsAnErrorWithLine) {
  std::string out, err;
  EXPECT_EQ(run({"compile", kDir + "toy_c3.cascade", "--order", "k"}, &out, &err), kExitError);
  EXPECT_NE(err.find("toy_c3.cascade:11:1"), std::string::npos) << err;
}

TEST(CompileCommand, OnePassCascadeRoundTripsThroughYaml) {
  // The scan and shift start from RM[0] = -inf: the YAML must carry the infinity.
  std::string out, err;
  std::string yaml = testing::TempDir() + "/compiled_1pass.yaml";
  ASSERT_EQ(run({"compile", kDir + "attention_1pass.cascade", "--order", "p,m", "--set", "M=16", "--set", "M0=4", "-o",
                 yaml},
                &out, &err),
            0)
      << err;
  EXPECT_NE(err.find("one chunk of M held"), std::string::npos) << err;
  EXPECT_EQ(run({"run", yaml}, &out, &err), kExitOk) << err;
}

}  // namespace
}  // namespace streamsim::cli
