#include "sim/cli/sweep_study.h"

#include <gtest/gtest.h>

#include <set>

#include "sim/cli/sweep_sha256.h"
#include "sim/core/error.h"
#include "tests/support/sweep_fixture.h"

namespace streamsim::sweep {
namespace {

using testing::ScratchDir;

std::vector<std::string> values(const StudyPoint& p) {
  std::vector<std::string> v;
  for (const auto& kv : p.params) v.push_back(kv.first + "=" + kv.second);
  return v;
}

TEST(SweepSha256, MatchesKnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding spills into a second block.
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(SweepStudy, GridIsACartesianProductFirstKeySlowest) {
  ScratchDir dir("study");
  dir.write("arch.yaml", "x");
  Study s = load_study(dir.write("s.yaml", "config: arch.yaml\nset: {D: 8}\ngrid:\n  N: [64, 128]\n  variant: [naive, stable, reordered]\n"));
  ASSERT_EQ(s.points.size(), 6u);
  EXPECT_EQ(values(s.points[0]), (std::vector<std::string>{"N=64", "variant=naive"}));
  EXPECT_EQ(values(s.points[2]), (std::vector<std::string>{"N=64", "variant=reordered"}));
  EXPECT_EQ(values(s.points[3]), (std::vector<std::string>{"N=128", "variant=naive"}));
  EXPECT_EQ(s.param_names, (std::vector<std::string>{"N", "variant"}));
  // Fixed overrides come first, then the point's own.
  EXPECT_EQ(s.points[0].overrides.front(), (std::pair<std::string, std::string>{"D", "8"}));
  EXPECT_EQ(s.points[0].overrides.size(), 3u);
  EXPECT_EQ(s.points[0].config, absolute_path(dir / "arch.yaml"));
}

TEST(SweepStudy, ZipMovesListsTogetherAndRangesExpand) {
  ScratchDir dir("study");
  Study s = load_study(dir.write("s.yaml",
                                 "config: arch.yaml\ngrid:\n  N: {from: 64, to: 1024, times: 4}\n"
                                 "zip:\n  depth: [2, 4]\n  latency: [1, 3]\n"));
  ASSERT_EQ(s.points.size(), 6u);  // N in {64, 256, 1024} x 2 zipped pairs
  EXPECT_EQ(values(s.points[1]), (std::vector<std::string>{"N=64", "depth=4", "latency=3"}));
  EXPECT_EQ(values(s.points[5]), (std::vector<std::string>{"N=1024", "depth=4", "latency=3"}));
}

TEST(SweepStudy, ConfigCanBeAParameter) {
  ScratchDir dir("study");
  Study s = load_study(dir.write("s.yaml", "grid:\n  config: [a.yaml, sub/b.yaml]\n  N: [1]\n"));
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_EQ(s.points[1].config, absolute_path(dir / "sub/b.yaml"));
  EXPECT_EQ(s.points[1].overrides.size(), 1u);  // only N: config is not a loader override
}

TEST(SweepStudy, IdsAreStableAndDistinct) {
  EXPECT_EQ(point_id({{"N", "64"}, {"v", "a b"}}), point_id({{"N", "64"}, {"v", "a b"}}));
  EXPECT_NE(point_id({{"v", "a b"}}), point_id({{"v", "a/b"}}));  // same readable part
  EXPECT_EQ(point_id({{"N", "64"}}).rfind("N=64-", 0), 0u);
}

TEST(SweepStudy, ErrorsNameTheLineAndTheFix) {
  ScratchDir dir("study");
  try {
    load_study(dir.write("s.yaml", "config: a.yaml\ngird:\n  N: [1]\n"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("s.yaml:2:1: unknown study key 'gird'; did you mean 'grid'?"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(load_study(dir.write("z.yaml", "config: a\nzip: {a: [1, 2], b: [1]}\n")), Error);
  EXPECT_THROW(load_study(dir.write("d.yaml", "config: a\ngrid: {a: [1, 1]}\n")), Error);
  EXPECT_THROW(load_study(dir.write("n.yaml", "grid: {a: [1]}\n")), Error);  // no config
  EXPECT_THROW(load_study(dir / "missing.yaml"), Error);
  // Runaway sizes are errors, not memory exhaustion.
  EXPECT_THROW(load_study(dir.write("r.yaml", "config: a\ngrid: {a: {from: 1, to: 1e12, step: 1}}\n")), Error);
  EXPECT_THROW(load_study(dir.write("p.yaml", "config: a\ngrid: {a: {from: 1, to: 1000, step: 1}, "
                                              "b: {from: 1, to: 1000, step: 1}}\n")),
               Error);
}

TEST(SweepShard, ShardsPartitionThePoints) {
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(point_id({{"N", std::to_string(i)}}));
  for (int n : {1, 2, 3, 4, 7}) {
    std::set<std::string> seen;
    for (int i = 1; i <= n; ++i) {
      Shard s{i, n};
      for (const auto& id : ids) {
        if (in_shard(id, s)) {
          EXPECT_TRUE(seen.insert(id).second) << id << " in two shards";
        }
      }
    }
    EXPECT_EQ(seen.size(), ids.size());
  }
  EXPECT_EQ(parse_shard("2/4").index, 2);
  EXPECT_THROW(parse_shard("0/4"), Error);
  EXPECT_THROW(parse_shard("5/4"), Error);
  EXPECT_THROW(parse_shard("2"), Error);
  EXPECT_THROW(parse_shard("1/2x"), Error);
}

}  // namespace
}  // namespace streamsim::sweep
