#include "sim/config/yaml_load.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "sim/core/error.h"

namespace streamsim {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_yaml(text, "t.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(YamlLoad, ParsesOrdinaryYaml) {
  YAML::Node n = parse_yaml("a: [1, 2, {b: 3}]\nc: &x 4\nd: *x\n", "t.yaml");
  EXPECT_EQ(n["a"][2]["b"].as<int>(), 3);
  EXPECT_EQ(n["d"].as<int>(), 4);
}

TEST(YamlLoad, SyntaxErrorsAndBadBytesPointAtTheirLine) {
  EXPECT_NE(error_of("a: [1, 2\nb: 3\n").find("t.yaml:"), std::string::npos);
  EXPECT_NE(error_of("a: [1, 2\nb: 3\n").find("malformed YAML"), std::string::npos);
  EXPECT_NE(error_of("a: 1\nb: \xff\n").find("t.yaml:2:4: byte 0xFF"), std::string::npos);
}

TEST(YamlLoad, DepthIsBoundedInFlowAndBlockStyle) {
  // 64 levels are fine (the outermost list is level 1).
  EXPECT_EQ(error_of(repeat("[", 64) + repeat("]", 64)), "");
  std::string err = error_of(repeat("[", 65) + repeat("]", 65));
  EXPECT_NE(err.find("t.yaml:1:65: YAML nested more than 64 levels deep"), std::string::npos)
      << err;
  // Far past yaml-cpp's own guard (2000): the same message, no stack overflow.
  EXPECT_NE(error_of(repeat("[", 100000) + repeat("]", 100000))
                .find("YAML nested more than 64 levels deep"),
            std::string::npos);
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  EXPECT_NE(error_of(block).find("YAML nested more than 64 levels deep"), std::string::npos);
}

// Nine levels of nine aliases: 9^9 nodes expanded from 300 bytes. Refused after the limit's
// worth of steps (a generous bound: it took 20 s and 2 GB through the loader before).
TEST(YamlLoad, AliasBombIsRefusedAtTheNodeLimit) {
  std::string text = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  const char* names = "abcdefghi";
  for (int i = 1; i < 9; ++i) {
    std::string prev = std::string("*") + names[i - 1];
    text +=
        std::string(1, names[i]) + ": &" + names[i] + " [" + repeat(prev + ", ", 8) + prev + "]\n";
  }
  ::unsetenv(kMaxYamlNodesEnv);
  auto start = std::chrono::steady_clock::now();
  std::string err = error_of(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_NE(err.find("more than 1000000 nodes when its aliases (*name) are expanded"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("STREAMSIM_MAX_YAML_NODES=N"), std::string::npos) << err;
}

TEST(YamlLoad, NodeLimitIsOverridableAndNeverRefusesAFileWithoutAliases) {
  // Three levels of nine aliases: 822 nodes expanded from 110 bytes.
  const std::string aliased =
      "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
  ::setenv(kMaxYamlNodesEnv, "1000", 1);
  EXPECT_EQ(error_of(aliased), "");
  ::setenv(kMaxYamlNodesEnv, "300", 1);
  EXPECT_NE(error_of(aliased).find("more than 300 nodes"), std::string::npos);
  // Without aliases a document has fewer nodes than bytes: never refused, whatever the setting.
  ::setenv(kMaxYamlNodesEnv, "1", 1);
  EXPECT_EQ(error_of("[1, 2, 3, 4, 5, {a: b, c: [d, e]}]"), "");
  EXPECT_EQ(yaml_node_limit(1000), 2000u);
  ::setenv(kMaxYamlNodesEnv, "lots", 1);
  EXPECT_NE(error_of(aliased).find("STREAMSIM_MAX_YAML_NODES='lots'"), std::string::npos);
  ::unsetenv(kMaxYamlNodesEnv);
  EXPECT_EQ(max_yaml_nodes(), kDefaultMaxYamlNodes);
  EXPECT_EQ(yaml_node_limit(1000), kDefaultMaxYamlNodes);
}

}  // namespace
}  // namespace streamsim
