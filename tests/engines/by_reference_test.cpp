// By-reference tokens (Port::by_reference) through both engines: the consumer must see the
// referenced values wherever its firing was interrupted (a firing that blocks part-way, a unit
// parked on a full output, the fast engine's chain loop and periodic replay, initial tokens), and
// the timing must be the one of the same graph sending copies.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/core/registry.h"
#include "sim/engines/engine.h"
#include "sim/units/sdpa_tensors.h"
#include "tests/support/same_run.h"
#include "tests/support/test_units.h"

namespace streamsim {
namespace {

using testing::CountingSource;

constexpr int kWidth = 8;

double value(int row, int column) {
  return 1000.0 * row + column + 0.25;
}

// Sends rows 0, 1, ..., rows-1, 0, 1, ... of a table it owns, by reference or by copy.
class RowTableSource : public Unit {
 public:
  RowTableSource(const std::string& name, int rows, std::uint64_t count, bool by_reference)
      : Unit(name, "test_row_table"), rows_(rows), count_(count), by_reference_(by_reference) {
    add_output("out", kWidth, by_reference);
    rule_ = FiringRule{0, 1, count == 0};
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < kWidth; ++c) table_.push_back(value(r, c));
  }
  void fire(FiringIO& io) override {
    const double* row = &table_[static_cast<std::size_t>(next_ % rows_) * kWidth];
    if (by_reference_)
      send_reference(io.out[0], row);
    else
      std::copy(row, row + kWidth, io.out[0]);
    rule_.done = ++next_ >= count_;
  }

 private:
  int rows_;
  std::uint64_t count_, next_ = 0;
  bool by_reference_;
  std::vector<double> table_;
};

// out = a + b[0] element-wise; reads `a` (port 0) before `b` (port 1), so a slow `b` makes the
// firing block after dequeuing `a`.
class RowJoin : public Unit {
 public:
  RowJoin(const std::string& name, int width) : Unit(name, "test_row_join"), width_(width) {
    add_input("a", width);
    add_input("b", 1);
    add_output("out", width);
    rule_ = FiringRule{3, 1, false};
  }
  void fire(FiringIO& io) override {
    for (int c = 0; c < width_; ++c) io.out[0][c] = io.in[0][c] + io.in[1][0];
  }

 private:
  int width_;
};

class RowPass : public Unit {
 public:
  RowPass(const std::string& name, int width, Cycle ii = 1)
      : Unit(name, "test_row_pass"), width_(width) {
    add_input("in", width);
    add_output("out", width);
    set_timing(ii, 1);
    rule_ = FiringRule{1, 1, false};
  }
  void fire(FiringIO& io) override { std::copy(io.in[0], io.in[0] + width_, io.out[0]); }

 private:
  int width_;
};

class RowSink : public Unit {
 public:
  RowSink(const std::string& name, int width, Cycle ii = 1)
      : Unit(name, "test_row_sink"), width_(width) {
    add_input("in", width);
    set_timing(ii, 1);
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override { rows.emplace_back(io.in[0], io.in[0] + width_); }
  std::vector<std::vector<double>> rows;

 private:
  int width_;
};

class ByReference : public ::testing::TestWithParam<std::string> {
 protected:
  RunResult run(const Graph& g) {
    RunResult r = make_engine(GetParam())->run(g);
    EXPECT_EQ(r.status, RunStatus::Finished);
    return r;
  }
  // The same timing and statistics as the run that sent copies.
  static void expect_same_timing(const RunResult& a, const RunResult& b) {
    streamsim::testing::expect_same_channel_statistics(a, b);
  }
};

// table -> join.a (depth 2, one initial row) and a slow counter -> join.b (depth 1); join ->
// pass (depth 1) -> sink (depth 2). The join dequeues its row, then waits for the counter (in
// simulated time, and in the fast engine's execution order too: `a` holds more than `b`).
Graph join_graph(std::uint64_t tokens, bool by_reference) {
  Graph g;
  g.add_custom_unit(
      "table", [=] { return std::make_unique<RowTableSource>("table", 5, tokens, by_reference); });
  g.add_custom_unit("count",
                    [=] { return std::make_unique<CountingSource>("count", tokens + 1, 3); });
  g.add_custom_unit("join", [] { return std::make_unique<RowJoin>("join", kWidth); });
  g.add_custom_unit("pass", [] { return std::make_unique<RowPass>("pass", kWidth); });
  g.add_custom_unit("sink", [] { return std::make_unique<RowSink>("sink", kWidth); });
  const int initial = g.connect("table", "join.a", ChannelTiming{2, 1, 1});
  std::vector<double> row(kWidth);
  for (int c = 0; c < kWidth; ++c) row[c] = -1.0 - c;
  g.set_initial_tokens(initial, row);
  g.connect("count", "join.b", ChannelTiming{1, 1, 1});
  g.connect("join", "pass", ChannelTiming{1, 1, 1});
  g.connect("pass", "sink", ChannelTiming{2, 1, 1});
  return g;
}

TEST_P(ByReference, FiringsBlockedPartWaySeeTheReferencedRows) {
  const std::uint64_t tokens = 3000;
  RunResult r = run(join_graph(tokens, true));
  if (GetParam() == "fast") {
    EXPECT_GT(r.replayed_firings, 0u);  // the periodic replay's replay_receive too
  }
  const auto& rows = r.unit_as<RowSink>("sink")->rows;
  ASSERT_EQ(rows.size(), tokens + 1);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    SCOPED_TRACE(k);
    ASSERT_EQ(rows[k].size(), static_cast<std::size_t>(kWidth));
    for (int c = 0; c < kWidth; ++c) {
      // Token 0 is the initial row; token k > 0 is row (k - 1) % 5, plus the counter's k.
      const double a = k == 0 ? -1.0 - c : value(static_cast<int>((k - 1) % 5), c);
      EXPECT_EQ(rows[k][c], a + static_cast<double>(k));
    }
  }
  expect_same_timing(r, run(join_graph(tokens, false)));
}

// table -> pass (depth 1) -> slow pass (depth 2) -> sink: single-port units (the fast engine's
// chain loop) and, over many tokens, a repeating timing (its periodic replay).
Graph chain_graph(std::uint64_t tokens, bool by_reference) {
  Graph g;
  g.add_custom_unit(
      "table", [=] { return std::make_unique<RowTableSource>("table", 7, tokens, by_reference); });
  g.add_custom_unit("p0", [] { return std::make_unique<RowPass>("p0", kWidth); });
  g.add_custom_unit("p1", [] { return std::make_unique<RowPass>("p1", kWidth, 2); });
  g.add_custom_unit("sink", [] { return std::make_unique<RowSink>("sink", kWidth); });
  g.connect("table", "p0", ChannelTiming{1, 1, 1});
  g.connect("p0", "p1", ChannelTiming{2, 1, 1});
  g.connect("p1", "sink", ChannelTiming{1, 2, 1});
  return g;
}

TEST_P(ByReference, PipelineOfCopiesSeesTheReferencedRows) {
  const std::uint64_t tokens = 3000;
  RunResult r = run(chain_graph(tokens, true));
  const auto& rows = r.unit_as<RowSink>("sink")->rows;
  ASSERT_EQ(rows.size(), tokens);
  for (std::size_t k = 0; k < rows.size(); ++k)
    for (int c = 0; c < kWidth; ++c)
      ASSERT_EQ(rows[k][c], value(static_cast<int>(k % 7), c)) << k << " " << c;
  expect_same_timing(r, run(chain_graph(tokens, false)));
}

// sdpa_source with several heads and a consumer far behind: rows of head 0 are still in the
// channel when heads 1 and 2 start, so their values must not be regenerated in place.
TEST_P(ByReference, SdpaSourceHeadsInFlightKeepTheirValues) {
  const int n = 3, d = 4, heads = 3;
  Graph g;
  Params p;
  p.set("tensor", "v").set("N", n).set("D", d).set("heads", heads).set("seed", 11);
  g.add_unit("v", "sdpa_source", p);
  g.add_custom_unit("sink", [=] { return std::make_unique<RowSink>("sink", d, 7); });
  g.connect("v", "sink", ChannelTiming{16, 1, 1});
  RunResult r = run(g);
  ASSERT_TRUE(r.unit_objects[0]->outputs()[0].by_reference);
  EXPECT_GE(r.channels[0].peak_occupancy, static_cast<std::uint64_t>(n + 1));  // across heads
  const auto& rows = r.unit_as<RowSink>("sink")->rows;
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(n * heads));
  for (int h = 0; h < heads; ++h) {
    std::vector<double> v;
    sdpa::generate_tensor(sdpa::Tensor::V, h, n, d, 11, 1.0, v);
    for (int i = 0; i < n; ++i)
      EXPECT_EQ(rows[h * n + i], std::vector<double>(v.begin() + i * d, v.begin() + (i + 1) * d))
          << "head " << h << " row " << i;
  }
}

// table -> repeat(3) -> repeat(2) -> join.a, with a slow counter at join.b: a repeat forwards
// the references it receives (Port::forwards_reference_of), through a chain of repeats, and
// keeps copying when its input tokens are copies.
Graph repeat_graph(std::uint64_t tokens, bool by_reference) {
  Graph g;
  g.add_custom_unit(
      "table", [=] { return std::make_unique<RowTableSource>("table", 5, tokens, by_reference); });
  g.add_unit("r3", "repeat", Params().set("count", 3).set("width", kWidth));
  g.add_unit("r2", "repeat", Params().set("count", 2).set("width", kWidth));
  g.add_custom_unit("count",
                    [=] { return std::make_unique<CountingSource>("count", 6 * tokens, 2); });
  g.add_custom_unit("join", [] { return std::make_unique<RowJoin>("join", kWidth); });
  g.add_custom_unit("sink", [] { return std::make_unique<RowSink>("sink", kWidth); });
  g.connect("table", "r3", ChannelTiming{2, 1, 1});
  g.connect("r3", "r2", ChannelTiming{1, 1, 1});
  g.connect("r2", "join.a", ChannelTiming{2, 1, 1});
  g.connect("count", "join.b", ChannelTiming{1, 1, 1});
  g.connect("join", "sink", ChannelTiming{2, 1, 1});
  return g;
}

TEST_P(ByReference, RepeatForwardsTheReferencesItReceives) {
  const std::uint64_t tokens = 500;
  for (bool by_reference : {true, false}) {
    SCOPED_TRACE(by_reference ? "by reference" : "copies");
    RunResult r = run(repeat_graph(tokens, by_reference));
    // Channels in connect order: table->r3, r3->r2, r2->join.a, count->join.b, join->sink.
    EXPECT_EQ(r.unit_objects[1]->outputs()[0].by_reference, by_reference);  // r3
    EXPECT_EQ(r.unit_objects[2]->outputs()[0].by_reference, by_reference);  // r2
    const auto& rows = r.unit_as<RowSink>("sink")->rows;
    ASSERT_EQ(rows.size(), 6 * tokens);
    for (std::size_t k = 0; k < rows.size(); ++k)
      for (int c = 0; c < kWidth; ++c)
        ASSERT_EQ(rows[k][c], value(static_cast<int>((k / 6) % 5), c) + static_cast<double>(k))
            << k << " " << c;
    if (by_reference) expect_same_timing(r, run(repeat_graph(tokens, false)));
  }
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ByReference, ::testing::Values("fast", "systemc"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace streamsim
