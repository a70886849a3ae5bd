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
  EXPECT_NE(err.find("cannot open"), std::string::npos) << err;
}

}  // namespace
}  // namespace streamsim::cli
