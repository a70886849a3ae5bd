// Pass analysis against the published classification (FuseMax, Sec. III-IV) and its
// footprint consequences.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "graphs/einsum/cascade.h"
#include "graphs/einsum/pass_analysis.h"

namespace streamsim {
namespace einsum {
namespace {

PassReport shipped(const std::string& name, const SizeOverrides& sizes = {}) {
  return analyse_passes(
      parse_cascade_file(std::string(STREAMSIM_SOURCE_DIR) + "/configs/cascades/" + name + ".cascade", sizes));
}

TEST(EinsumPasses, ToyCascades) {
  PassReport c1 = shipped("toy_c1");
  EXPECT_EQ(c1.passes("K"), 2);
  ASSERT_EQ(c1.ranks[0].reasons.size(), 1u);
  EXPECT_EQ(c1.ranks[0].reasons[0].needs, "Y");
  EXPECT_EQ(c1.ranks[0].reasons[0].line, 7);
  EXPECT_EQ(c1.input("A", "K").passes, (std::vector<int>{1, 2}));
  EXPECT_EQ(c1.input("A", "K").footprint, 8);
  EXPECT_EQ(c1.input("B", "K").passes, (std::vector<int>{1}));
  EXPECT_EQ(shipped("toy_c2").passes("K"), 1);
  PassReport c3 = shipped("toy_c3");
  EXPECT_EQ(c3.passes("K"), 1);
  EXPECT_EQ(c3.input("A", "K").footprint, 1);
}

TEST(EinsumPasses, ThreePassAttention) {
  PassReport r = shipped("attention_3pass");
  EXPECT_EQ(r.passes("M"), 3);
  EXPECT_EQ(r.passes("E"), 1);
  EXPECT_EQ(r.passes("P"), 1);
  const RankPasses& m = r.ranks[2];
  ASSERT_EQ(m.rank, "M");
  ASSERT_EQ(m.reasons.size(), 2u);
  EXPECT_EQ(m.reasons[0].pass, 2);
  EXPECT_EQ(m.reasons[0].needs, "GM");
  EXPECT_NE(m.reasons[0].how.find("max-reduction over m"), std::string::npos);
  EXPECT_EQ(m.reasons[1].pass, 3);
  EXPECT_EQ(m.reasons[1].needs, "SD");
  EXPECT_EQ(r.input("K", "M").passes, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r.input("K", "M").footprint_kind, "fiber");
  EXPECT_EQ(r.input("V", "M").passes, (std::vector<int>{3}));  // V is streamed once, late
}

TEST(EinsumPasses, SoftmaxWithoutMaxAndDeferredDivision) {
  EXPECT_EQ(shipped("attention_2pass_nomax").passes("M"), 2);
  EXPECT_EQ(shipped("attention_deferred_div").passes("M"), 2);  // 3 - 1
  EXPECT_EQ(shipped("attention_nomax_deferred_div").passes("M"), 1);  // 2 - 1
}

TEST(EinsumPasses, OnePassChunkedAttentionBuffersOneChunk) {
  for (std::int64_t m0 : {2, 4}) {
    PassReport r = shipped("attention_1pass", {{"M", 16}, {"M0", m0}});
    EXPECT_EQ(r.passes("M"), 1);
    for (const char* in : {"K", "V"}) {
      const InputPasses& ip = r.input(in, "M");
      EXPECT_EQ(ip.passes, (std::vector<int>{1}));
      EXPECT_EQ(ip.footprint_kind, "segment") << in;
      EXPECT_EQ(ip.footprint, m0) << in;  // one M0 chunk, independent of M
    }
  }
}

TEST(EinsumPasses, FiberFootprintGrowsWithM) {
  EXPECT_EQ(shipped("attention_3pass", {{"M", 8}}).input("K", "M").footprint, 8);
  EXPECT_EQ(shipped("attention_3pass", {{"M", 32}}).input("K", "M").footprint, 32);
}

TEST(EinsumPasses, RunningValueReadAtFinalIterationIsASummary) {
  // The running sum's last element is complete only after the fiber: using it while
  // re-walking the fiber costs a pass, exactly like a reduction.
  Cascade c = parse_cascade(
      "rank K = 4\ninput A[K]\nR[0] = 0\nR[k+1] = R[k] + A[k]\nN[k] = A[k] / R[K]\n", "t");
  PassReport r = analyse_passes(c);
  EXPECT_EQ(r.passes("K"), 2);
  ASSERT_EQ(r.ranks[0].reasons.size(), 1u);
  EXPECT_NE(r.ranks[0].reasons[0].how.find("last iteration"), std::string::npos);
  // Normalising by the running value instead (a prefix normalisation) streams.
  Cascade s = parse_cascade(
      "rank K = 4\ninput A[K]\nR[0] = 0\nR[k+1] = R[k] + A[k]\nN[k] = A[k] / R[k+1]\n", "t");
  EXPECT_EQ(analyse_passes(s).passes("K"), 1);
}

TEST(EinsumPasses, ChainOfReductionsAddsOnePassEach) {
  Cascade c = parse_cascade(
      "rank K = 4\ninput A[K]\nS1 = A[k]\nB[k] = A[k] - S1\nS2 = B[k] * B[k]\nC[k] = B[k] / S2\n"
      "S3 = C[k] :: reduce_k max\nD[k] = C[k] - S3\n", "t");
  EXPECT_EQ(analyse_passes(c).passes("K"), 4);
}

TEST(EinsumPasses, TextAndJson) {
  PassReport r = shipped("attention_3pass");
  std::string text = r.to_text();
  EXPECT_NE(text.find("rank M (traversed as m; fiber of 8 elements): 3 passes"), std::string::npos) << text;
  EXPECT_NE(text.find("pass 2 forced: line 13"), std::string::npos) << text;
  auto j = nlohmann::json::parse(r.to_json());
  EXPECT_EQ(j["ranks"][2]["passes"], 3);
  EXPECT_EQ(j["inputs"][3]["input"], "K");
  EXPECT_EQ(j["inputs"][3]["pass_count"], 3);
}

}  // namespace
}  // namespace einsum
}  // namespace streamsim
