// End-to-end runs of library units on the fast engine, with cycle counts derived by hand from
// the timing contract (docs/timing-model.md, /work/shared/design.md). Notation: a channel has
// depth C, L = R = 1. A source sends element e at clock s_e (visible s_e + 1) and its credit
// for e >= C is (dequeue time of e - C) + 1. A unit firing at f (its last dequeue time) stamps
// outputs f + latency, then its clock is f + ii. A sink dequeuing at d ends at d + 1. The run
// length is the largest final clock.
#include <cmath>

#include "sim/engines/fast/fast_engine.h"
#include "sim/units/sink.h"
#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

ChannelTiming depth(Cycle c) {
  return ChannelTiming{c, 1, 1};
}

RunResult run(const Graph& g) {
  FastEngine e;
  return e.run(g);
}

Params ramp(std::int64_t count) {
  return Params().set("kind", "ramp").set("count", count);
}

std::vector<double> ramp_values(int n) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

// source(T) -> map(exp) -> sink at depth 2: the map dequeues element e at e + 1 (the
// source's credit for e is (e-2+1)+1 = e, so it never waits) and its output is visible at
// e + 2; the sink dequeues it at e + 2 and ends at e + 3. Last e = T-1: T + 2 cycles.
TEST(UnitPipelines, SourceMapSinkAtDepthTwoTakesTPlusTwo) {
  const int T = 10;
  std::vector<double> want;
  for (int i = 0; i < T; ++i) want.push_back(std::exp(static_cast<double>(i)));
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("exp", "map", Params().set("op", "exp"));
  g.add_unit("out", "sink", Params().set("expect", want));
  g.connect("src.out", "exp.in", depth(2));
  g.connect("exp.out", "out.in", depth(2));
  RunResult r = run(g);
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, T + 2);
  auto* sink = r.unit_as<SinkUnit>("out");
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->count(), static_cast<std::uint64_t>(T));
  EXPECT_EQ(sink->mismatches(), 0u);
}

// Same chain at depth 1: every slot must come back before the next send. Element e: source
// sends at s_e = f_{e-1} + 1, map fires at f_e = s_e + 1 and waits for the sink's credit
// d_{e-1} + 1; the sink dequeues at d_e = f_e + 1. From s_0 = 0: f_e = 2e + 1, d_e = 2e + 2,
// so the sink ends at 2(T-1) + 3 = 2T + 1 (half rate, (L+R)/C = 2).
TEST(UnitPipelines, DepthOneIsHalfRateExactly) {
  const int T = 10;
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("m", "map", Params().set("op", "neg"));
  g.add_unit("out", "sink", Params());
  g.connect("src", "m", depth(1));
  g.connect("m", "out", depth(1));
  RunResult r = run(g);
  EXPECT_EQ(r.cycles, 2 * T + 1);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->sum(), -45.0);
}

// A map with ii 3 and latency 5: it fires at f_e = 1 + 3e (inputs wait in the FIFO), its
// output is visible at f_e + 5 and dequeued then; the credit for output e >= 2 is
// d_{e-2} + 1 = 3e + 1 = f_e, just in time. Sink ends at f_{T-1} + 6 = 3T + 4.
TEST(UnitPipelines, MapIiAndLatencyFromParams) {
  const int T = 7;
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("m", "map", Params().set("op", "id").set("ii", 3).set("latency", 5));
  g.add_unit("out", "sink", Params().set("expect", ramp_values(T)));
  g.connect("src", "m", depth(2));
  g.connect("m", "out", depth(2));
  RunResult r = run(g);
  EXPECT_EQ(r.cycles, 3 * T + 4);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->mismatches(), 0u);
}

// repeat(c) fires every cycle from 1: firing f reads input e = f / c when f % c == 0, and that
// element was sent long before (the source's credit (c(e-2)+1)+1 <= ce). Output f is visible
// at f + 2 and the sink ends at f + 3; last f = Tc - 1: Tc + 2 cycles.
TEST(UnitPipelines, RepeatRunsAtOneOutputPerCycle) {
  const int T = 5, c = 3;
  std::vector<double> want;
  for (int i = 0; i < T; ++i)
    for (int k = 0; k < c; ++k) want.push_back(i);
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("rep", "repeat", Params().set("count", c));
  g.add_unit("out", "sink", Params().set("expect", want));
  g.connect("src", "rep", depth(2));
  g.connect("rep", "out", depth(2));
  RunResult r = run(g);
  EXPECT_EQ(r.cycles, T * c + 2);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->mismatches(), 0u);
}

// Broadcast to two sinks, all depth 1 (DAM's broadcast hangs here). The broadcast fires at
// b_e, sends out0 then out1 (credits d_{e-1} + 1 = b_e, no wait), the sinks dequeue at
// b_e + 1; the source's next send waits for b_e + 1, so b_{e+1} = b_e + 2. b_0 = 1: the sinks
// end at b_{T-1} + 2 = 2T + 1.
TEST(UnitPipelines, BroadcastWorksAtDepthOne) {
  const int T = 6;
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("bc", "broadcast", Params().set("outputs", 2));
  g.add_unit("s0", "sink", Params().set("expect", ramp_values(T)));
  g.add_unit("s1", "sink", Params().set("expect", ramp_values(T)));
  g.connect("src", "bc", depth(1));
  g.connect("bc.out0", "s0", depth(1));
  g.connect("bc.out1", "s1", depth(1));
  RunResult r = run(g);
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, 2 * T + 1);
  EXPECT_EQ(r.unit_as<SinkUnit>("s0")->mismatches(), 0u);
  EXPECT_EQ(r.unit_as<SinkUnit>("s1")->mismatches(), 0u);
}

// reduce(group g, reset r >= 1) at depth 2: within a group the reduce fires every cycle; the
// group's last firing at F moves its clock to F + 1 + r. The next group's first two elements
// already wait in the FIFO, and the third is sent when the first is dequeued (+1 credit,
// +1 latency), exactly when needed. So group G fires at 1 + G(g+r) ... G(g+r) + g, and after
// the last of T/g groups the reduce's clock is (T/g)(g+r) + 1, which (for r >= 1) is later
// than the sink's end (T/g)(g+r) - r + 2. With g = 4, r = 3, T = 40: 10*7 + 1 = 71.
TEST(UnitPipelines, ReduceResetTimeCountsPerGroup) {
  const int T = 40, group = 4, reset = 3;
  std::vector<double> want;
  for (int G = 0; G < T / group; ++G) want.push_back(4.0 * (4 * G) + 6);  // sum of 4G..4G+3
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("red", "reduce", Params().set("group", group).set("reset", reset));
  g.add_unit("out", "sink", Params().set("expect", want));
  g.connect("src", "red", depth(2));
  g.connect("red", "out", depth(2));
  RunResult r = run(g);
  EXPECT_EQ(r.cycles, (T / group) * (group + reset) + 1);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->mismatches(), 0u);
}

// Buffered matmul C = A[m,k] B[k,n] fed by a source of A (m*k values) and one of B
// (column-major, repeated m times). It fires every cycle from 1 (one MAC each): A's element
// i*k + t is read at firing i*n*k + t, and its source's credit (dequeue of the element two
// before, + 1) makes it visible exactly then or earlier. Output (i, j) leaves at firing
// f = (i*n + j + 1)k - 1, visible f + 2; the sink ends at f + 3; last f = mnk - 1: mnk + 2.
TEST(UnitPipelines, BufferedMatmulOneMacPerCycle) {
  const int m = 3, k = 4, n = 2;
  // A[i][t] = i + t; B[t][j] = t - j; B streamed column-major: column j = B[0..k-1][j].
  std::vector<double> a, b, c;
  for (int i = 0; i < m; ++i)
    for (int t = 0; t < k; ++t) a.push_back(i + t);
  for (int j = 0; j < n; ++j)
    for (int t = 0; t < k; ++t) b.push_back(t - j);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double s = 0;
      for (int t = 0; t < k; ++t) s += (i + t) * (t - j);
      c.push_back(s);
    }
  Graph g;
  g.add_unit("A", "source", Params().set("kind", "list").set("values", a));
  g.add_unit("B", "source", Params().set("kind", "list").set("values", b).set("repeat", m));
  g.add_unit("mm", "matmul", Params().set("m", m).set("k", k).set("n", n));
  g.add_unit("out", "sink", Params().set("expect", c));
  g.connect("A", "mm.a", depth(2));
  g.connect("B", "mm.b", depth(2));
  g.connect("mm", "out", depth(2));
  RunResult r = run(g);
  ASSERT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.cycles, m * n * k + 2);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->mismatches(), 0u);
  for (const auto& ch : r.channels) EXPECT_EQ(ch.left_over, 0u) << ch.name;
}

// dot over D = 4 has latency 1 + log2 4 = 3. With an output FIFO of depth 4 the round trip
// (3 to visibility, +1 credit) fits, so it fires at e + 1, output visible e + 4, the sink
// ends at e + 5; last e = T - 1: T + 4 cycles.
TEST(UnitPipelines, DotLatencyIsDerivedFromWidth) {
  const int T = 6, D = 4;
  std::vector<double> want;
  // a = ramp, b = constant 2: dot of token e = 2 * sum(4e .. 4e+3) = 2 * (16e + 6).
  for (int e = 0; e < T; ++e) want.push_back(2.0 * (16 * e + 6));
  Graph g;
  g.add_unit("a", "source", ramp(T).set("width", D));
  g.add_unit("b", "source",
             Params().set("kind", "constant").set("value", 2.0).set("count", T).set("width", D));
  g.add_unit("dot", "dot", Params().set("width", D));
  g.add_unit("out", "sink", Params().set("expect", want));
  g.connect("a", "dot.a", depth(2));
  g.connect("b", "dot.b", depth(2));
  g.connect("dot", "out", depth(4));
  RunResult r = run(g);
  EXPECT_EQ(r.cycles, T + 4);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->mismatches(), 0u);
}

// pack(W) then unpack(W): pack's firing f (reading scalar f) happens at f + 1, so it sends
// vector v at firing vW + W - 1, at time vW + W, visible vW + W + 1. unpack sends scalar
// q = vW + i at (vW + W + 1) + i = q + W + 1: each vector arrives exactly when the previous
// one is used up, so unpack never idles after its start. Scalar q is visible at q + W + 2 and
// the sink ends at q + W + 3; last q = T - 1: T + W + 2 cycles (the pipeline fill is W + 2).
TEST(UnitPipelines, PackThenUnpackRoundTrips) {
  const int T = 12, W = 3;
  Graph g;
  g.add_unit("src", "source", ramp(T));
  g.add_unit("pk", "pack", Params().set("width", W));
  g.add_unit("up", "unpack", Params().set("width", W));
  g.add_unit("out", "sink", Params().set("expect", ramp_values(T)));
  g.connect("src", "pk", depth(2));
  g.connect("pk", "up", depth(2));
  g.connect("up", "out", depth(2));
  RunResult r = run(g);
  EXPECT_EQ(r.cycles, T + W + 2);
  EXPECT_EQ(r.unit_as<SinkUnit>("out")->mismatches(), 0u);
}

// The naive softmax denominator graph: exp values are broadcast to a long FIFO (to div) and
// to a reduce whose sum is repeated N times into div. With a long FIFO shorter than N the
// broadcast stalls and the reduce starves: the deadlock report carries the units' states.
Graph naive_softmax(int N, int rows, Cycle long_depth, const std::vector<double>& expect) {
  Graph g;
  g.add_unit("src", "source",
             Params().set("kind", "ramp").set("count", N * rows).set("step", 0.25));
  g.add_unit("exp", "map", Params().set("op", "exp"));
  g.add_unit("bc", "broadcast", Params().set("outputs", 2));
  g.add_unit("sum", "reduce", Params().set("group", N));
  g.add_unit("rep", "repeat", Params().set("count", N));
  g.add_unit("div", "map", Params().set("op", "div"));
  g.add_unit("out", "sink", Params().set("expect", expect).set("tolerance", 1e-12));
  g.connect("src", "exp", depth(2));
  g.connect("exp", "bc", depth(2));
  g.connect("bc.out0", "div.a", depth(long_depth));
  g.connect("bc.out1", "sum", depth(2));
  g.connect("sum", "rep", depth(2));
  g.connect("rep", "div.b", depth(2));
  g.connect("div", "out", depth(2));
  return g;
}

TEST(UnitPipelines, NaiveSoftmaxFinishesWithLongFifoAndReportsStatesWhenShort) {
  const int N = 8, rows = 2;
  std::vector<double> want;
  for (int r = 0; r < rows; ++r) {
    double s = 0;
    for (int j = 0; j < N; ++j) s += std::exp(0.25 * (r * N + j));
    for (int j = 0; j < N; ++j) want.push_back(std::exp(0.25 * (r * N + j)) / s);
  }
  RunResult ok = run(naive_softmax(N, rows, N + 2, want));
  ASSERT_EQ(ok.status, RunStatus::Finished);
  EXPECT_EQ(ok.unit_as<SinkUnit>("out")->mismatches(), 0u);

  RunResult stuck = run(naive_softmax(N, rows, 4, want));
  ASSERT_EQ(stuck.status, RunStatus::Deadlock);
  std::string states;
  for (const auto& b : stuck.deadlock.blocked) states += b.unit + ": " + b.state + "\n";
  // div's firing dequeues a (token 0 of the long FIFO, bc.out0) and then blocks on b; that
  // dequeue frees a slot at once (DAM's progressive semantics), so the long FIFO (depth 4)
  // takes tokens 1..4, bc sends token 4 to the sum too (out1), and token 5 finds out0 full.
  EXPECT_TRUE(test::mentions(states, "sum: reduce: 5 of 8 folded in group 0")) << states;
  EXPECT_TRUE(test::mentions(states, "rep: repeat: waiting for input token 0")) << states;
}

}  // namespace
}  // namespace streamsim::units
