// Hostile nesting and expansion: deeply nested ${...} expressions (in a file and through
// --set), cascades, YAML (flow and block), and YAML alias bombs in architectures, studies and
// spatial files. Each once crashed (stack overflow) or ran for seconds and gigabytes; each
// must now be refused at once with the limit and how to stay under it (docs/limits.md).
#include <gtest/gtest.h>

#include <string>

#include "tests/hostile/hostile_support.h"
#include "tests/support/scratch_dir.h"

namespace streamsim::testing {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// An architecture whose source count is `count` (a YAML value, so ${...} is evaluated).
std::string architecture_with_count(const std::string& count) {
  return "params:\n  n: 4\n  tokens: " + count +
         "\nunits:\n  - {name: src, type: source, params: {kind: ramp, count: \"${tokens}\"}}\n"
         "  - {name: dst, type: sink}\nchannels:\n  - {from: src.out, to: dst.in}\n";
}

// Nine levels of nine aliases each, 9^9 (387 million) values once expanded: as block-map
// lines (`a: &a [...]`, for studies and spatial files), and as the issue's 512-byte bomb, the
// anchors written inline in a source's `values:` list (it took 22 s and 1 GB, then failed
// with "out of memory (channel depths too large ...)").
std::string alias_bomb_lines(const std::string& indent) {
  std::string s = indent + "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  const char* names = "abcdefghi";
  for (int i = 1; i < 9; ++i) {
    std::string prev = std::string("*") + names[i - 1];
    s += indent + names[i] + ": &" + names[i] + " [" + repeat(prev + ", ", 8) + prev + "]\n";
  }
  return s;
}
std::string alias_bomb_flow() {
  std::string s = "[&a [1, 1, 1, 1, 1, 1, 1, 1, 1]";
  const char* names = "abcdefghi";
  for (int i = 1; i < 9; ++i) {
    std::string prev = std::string("*") + names[i - 1];
    s += std::string(", &") + names[i] + " [" + repeat(prev + ", ", 8) + prev + "]";
  }
  return s + "]";
}

TEST(HostileNesting, TenThousandParenthesesInAFileAreAnErrorAtTheParameter) {
  ScratchDir dir("nest-parens");
  const std::string path = dir.write(
      "arch.yaml",
      architecture_with_count("\"${" + repeat("(", 10000) + "1" + repeat(")", 10000) + "}\""));
  auto r = run_bounded("validate " + path, dir.path());
  expect_refusal(r, path + ":3:", "nested more than 200 levels deep");
  EXPECT_LT(r.err.size(), 2000u) << "the message quotes the whole expression";
}

TEST(HostileNesting, HundredThousandMinusSignsThroughSetNameTheOption) {
  ScratchDir dir("nest-minus");
  const std::string path = dir.write("arch.yaml", architecture_with_count("8"));
  auto r = run_bounded("validate " + path + " --set 'tokens=${" + repeat("-", 100000) + "1}'",
                       dir.path());
  expect_refusal(r, "--set tokens=", "nested more than 200 levels deep");
  EXPECT_LT(r.err.size(), 2000u) << "the message quotes the whole --set value";
}

TEST(HostileNesting, LongPowerTowerAndNestedCallsAreBounded) {
  ScratchDir dir("nest-power");
  const std::string tower =
      dir.write("tower.yaml", architecture_with_count("\"${" + repeat("1 ** ", 50000) + "1}\""));
  expect_refusal(run_bounded("validate " + tower, dir.path()),
                 tower + ":3:", "nested more than 200 levels");
  const std::string calls =
      dir.write("calls.yaml", architecture_with_count("\"${" + repeat("max(1, ", 20000) + "1" +
                                                      repeat(")", 20000) + "}\""));
  expect_refusal(run_bounded("validate " + calls, dir.path()),
                 calls + ":3:", "nested more than 200 levels");
}

TEST(HostileNesting, DeepFlowListInValuesIsAnErrorAtItsLine) {
  ScratchDir dir("nest-flow");
  const std::string path = dir.write(
      "arch.yaml",
      "units:\n  - {name: src, type: source, params: {kind: list, values: " + repeat("[", 100000) +
          "1" + repeat("]", 100000) +
          "}}\n  - {name: dst, type: sink}\nchannels:\n  - {from: src.out, to: dst.in}\n");
  expect_refusal(run_bounded("run " + path, dir.path()),
                 path + ":2:", "YAML nested more than 64 levels deep");
}

TEST(HostileNesting, DeepBlockMapsAreAnErrorNotAStackOverflow) {
  // 100 levels: past our limit; 3000: past yaml-cpp's own guard (2000), which fires first.
  for (int levels : {100, 3000}) {
    ScratchDir dir("nest-block");
    std::string text = "description: deep\nparams:\n";
    for (int i = 0; i < levels; ++i)
      text += std::string(1 + static_cast<std::size_t>(i), ' ') + "k:\n";
    const std::string path = dir.write("arch.yaml", text);
    expect_refusal(run_bounded("validate " + path, dir.path()), path + ":",
                   "YAML nested more than 64 levels deep");
  }
}

TEST(HostileNesting, AliasBombInValuesFailsFastNamingTheLimitAndItsVariable) {
  ScratchDir dir("nest-bomb");
  const std::string path = dir.write("arch.yaml",
                                     "units:\n  - name: src\n    type: source\n    params:\n"
                                     "      kind: list\n      values: " +
                                         alias_bomb_flow() +
                                         "\n  - {name: dst, type: sink}\nchannels:\n"
                                         "  - {from: src.out, to: dst.in}\n");
  auto r = run_bounded("run " + path, dir.path(), 30);  // it took 22 s and 1 GB
  expect_refusal(r, path + ":", "more than 1000000 nodes when its aliases");
  EXPECT_NE(r.err.find("STREAMSIM_MAX_YAML_NODES"), std::string::npos) << r.err;
}

TEST(HostileNesting, NodeLimitIsOverridableAndLargePlainFilesPass) {
  ScratchDir dir("nest-nodes");
  // Seven levels of nine aliases (4.8 million nodes) under a key the loader does not know: the
  // node limit refuses it first; raised, the loader reads on and names the key.
  std::string seven = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  const char* names = "abcdefg";
  for (int i = 1; i < 7; ++i) {
    std::string prev = std::string("*") + names[i - 1];
    seven +=
        std::string(1, names[i]) + ": &" + names[i] + " [" + repeat(prev + ", ", 8) + prev + "]\n";
  }
  std::string indented;
  for (std::size_t pos = 0, nl; (nl = seven.find('\n', pos)) != std::string::npos; pos = nl + 1)
    indented += "  " + seven.substr(pos, nl + 1 - pos);
  const std::string path = dir.write("arch.yaml", "bomb:\n" + indented + "units: []\n");
  {
    EnvVar unset("STREAMSIM_MAX_YAML_NODES", std::nullopt);
    expect_refusal(run_bounded("validate " + path, dir.path()), path + ":",
                   "more than 1000000 nodes");
  }
  {
    EnvVar raised("STREAMSIM_MAX_YAML_NODES", "10000000");
    expect_refusal(run_bounded("validate " + path, dir.path()), path + ":1:1",
                   "unknown key 'bomb'");
  }
  // A plain file far larger than the default is never refused for its node count: a source
  // of 1.1 million values.
  std::string values = "0";
  for (int i = 1; i < 1100000; ++i) values += ",1";
  const std::string big = dir.write(
      "big.yaml", "units:\n  - {name: src, type: source, params: {kind: list, values: [" + values +
                      "]}}\n  - {name: dst, type: sink}\n"
                      "channels:\n  - {from: src.out, to: dst.in}\n");
  EnvVar unset("STREAMSIM_MAX_YAML_NODES", std::nullopt);
  auto r = run_bounded("validate " + big, dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(HostileNesting, AliasBombInAStudyFailsFast) {
  ScratchDir dir("nest-study-bomb");
  dir.write("arch.yaml", architecture_with_count("4"));
  const std::string path =
      dir.write("study.yaml", "config: arch.yaml\ngrid:\n  n:\n" + alias_bomb_lines("    - "));
  auto r = run_bounded("sweep " + path + " --out " + (dir / "out"), dir.path(), 30);
  expect_refusal(r, path + ":", "when its aliases (*name) are expanded");
}

TEST(HostileNesting, AliasBombInASpatialArchitectureFailsFast) {
  ScratchDir dir("nest-spatial-bomb");
  const std::string path =
      dir.write("arch.yaml", "architecture:\n  name: bomb\n  junk:\n" + alias_bomb_lines("    - "));
  auto r = run_bounded("spatial configs/spatial/fusemax.yaml --arch " + path + " --seq 64",
                       dir.path(), 30);
  expect_refusal(r, path + ":", "when its aliases (*name) are expanded");
}

TEST(HostileNesting, TenThousandParenthesesInACascadeAreAnErrorAtTheLine) {
  ScratchDir dir("nest-cascade");
  const std::string path =
      dir.write("deep.cascade", "rank M = 4\ninput A[M]\nZ[m] = " + repeat("(", 10000) + "A[m]" +
                                    repeat(")", 10000) + "\n");
  expect_refusal(run_bounded("passes " + path, dir.path()),
                 path + ":3:", "nested more than 200 levels deep");
}

TEST(HostileNesting, LongOperatorChainInACascadeIsAnErrorNotAStackOverflow) {
  ScratchDir dir("chain-cascade");
  const std::string path = dir.write(
      "chain.cascade", "rank M = 4\ninput A[M]\nZ[m] = A[m]" + repeat(" + A[m]", 100000) + "\n");
  expect_refusal(run_bounded("passes " + path, dir.path()), path + ":3:", "operations deep");
}

}  // namespace
}  // namespace streamsim::testing
