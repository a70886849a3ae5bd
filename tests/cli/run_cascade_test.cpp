// `streamsim run FILE.cascade`: compile a cascade, then simulate it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/cli/commands.h"

namespace streamsim::cli {
namespace {

int run(std::vector<std::string> args, std::string* out, std::string* err) {
  args.insert(args.begin(), "streamsim");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = run_cli(static_cast<int>(argv.size()), argv.data());
  *out = testing::internal::GetCapturedStdout();
  *err = testing::internal::GetCapturedStderr();
  return code;
}

const std::string kDir = std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/";

TEST(RunCascade, CompilesRunsAndChecksTheEvaluatorValues) {
  std::string out, err;
  ASSERT_EQ(run({"run", kDir + "attention_1pass.cascade", "--order", "p,m", "--set", "M=32", "--set", "M0=4"}, &out,
                &err),
            kExitOk)
      << err;
  EXPECT_NE(out.find("compiled: "), std::string::npos) << out;
  EXPECT_NE(out.find("one chunk of M held"), std::string::npos) << out;
  EXPECT_NE(out.find("finished"), std::string::npos) << out;
}

TEST(RunCascade, JsonReportCarriesTheOrderAndRankSizes) {
  std::string out, err;
  ASSERT_EQ(run({"run", kDir + "attention_3pass.cascade", "--order", "p,m", "--set", "M=12", "--json", "-"}, &out, &err),
            kExitOk)
      << err;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["params"]["order"], "p,m");
  EXPECT_EQ(j["params"]["M"], 12);
  EXPECT_EQ(j["status"], "finished");
}

TEST(RunCascade, DifferentSeedsStillMatchBecauseSinksFollowTheEvaluator) {
  std::string out, err;
  EXPECT_EQ(run({"run", kDir + "attention_2pass_nomax.cascade", "--order", "p,m", "--seed", "9", "-q"}, &out, &err),
            kExitOk)
      << err;
  EXPECT_TRUE(out.empty()) << out;
}

TEST(RunCascade, ErrorsNameTheFix) {
  std::string out, err;
  EXPECT_EQ(run({"run", kDir + "attention_3pass.cascade"}, &out, &err), kExitError);
  EXPECT_NE(err.find("add --order"), std::string::npos) << err;
  EXPECT_EQ(run({"run", kDir + "attention_3pass.cascade", "--order", "p,m", "--set", "Z=3"}, &out, &err), kExitError);
  EXPECT_NE(err.find("names no rank"), std::string::npos) << err;
  EXPECT_EQ(run({"run", kDir + "toy_c3.cascade", "--order", "k"}, &out, &err), kExitError);
  EXPECT_NE(err.find("toy_c3.cascade:11:1"), std::string::npos) << err;
  EXPECT_EQ(run({"run", kDir + "attention_3pass.cascade", "--order", "m,p"}, &out, &err), kExitError);
  EXPECT_NE(err.find("not innermost"), std::string::npos) << err;
}

TEST(RunCascade, OrderOnAYamlFileIsAnError) {
  std::string out, err;
  EXPECT_EQ(run({"run", std::string(STREAMSIM_SOURCE_DIR) + "/configs/pipeline.yaml", "--order", "p,m"}, &out, &err),
            kExitError);
  EXPECT_NE(err.find("--order applies to cascade files"), std::string::npos) << err;
}

}  // namespace
}  // namespace streamsim::cli
