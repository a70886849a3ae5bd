#pragma once
// Helpers for the sweep tests: a scratch directory, a study file, and a graph builder that
// turns a point's parameters into small test graphs that finish, deadlock, throw, crash or
// run (almost) forever, with no dependence on the operator library or the config loader.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "sim/cli/sweep_files.h"
#include "sim/cli/sweep_runner.h"
#include "sim/core/error.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/test_units.h"

namespace streamsim::testing {

// Reads `n` tokens, then sends them all: a unit that needs a whole group before emitting
// (like a reduce followed by a repeat), which deadlocks a fork-join whose other branch is
// shallower than n.
class HoldUnit : public Unit {
 public:
  HoldUnit(const std::string& name, int n) : Unit(name, "test_hold"), n_(n) {
    add_input("in");
    add_output("out");
    rule_ = FiringRule{1, 0, false};
  }
  void fire(FiringIO& io) override {
    if (rule_.reads) {
      values_.push_back(io.in[0][0]);
      if (static_cast<int>(values_.size()) == n_) rule_ = FiringRule{0, 1, false};
    } else {
      io.out[0][0] = values_[sent_++];
      if (sent_ == values_.size()) {
        values_.clear();
        sent_ = 0;
        rule_ = FiringRule{1, 0, false};
      }
    }
  }

 private:
  int n_;
  std::vector<double> values_;
  std::size_t sent_ = 0;
};

inline std::string param(const sweep::StudyPoint& p, const std::string& name,
                         const std::string& fallback) {
  for (const auto& [k, v] : p.overrides)
    if (k == name) return v;
  return fallback;
}

// Parameters: tokens, depth, stages, mode (ok | deadlock | error | crash | forever),
// sleep_ms (delay before building, to let a test interrupt a sweep mid-way).
inline sweep::GraphBuilder test_graph_builder() {
  return [](const sweep::StudyPoint& p) {
    int sleep_ms = std::stoi(param(p, "sleep_ms", "0"));
    if (sleep_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    std::string mode = param(p, "mode", "ok");
    std::uint64_t tokens = std::stoull(param(p, "tokens", "100"));
    Cycle depth = std::stoll(param(p, "depth", "2"));
    int stages = std::stoi(param(p, "stages", "2"));
    if (mode == "error") throw Error("test point asked for an error");
    if (mode == "crash") std::abort();
    if (mode == "forever") tokens = 1000000000000000ull;
    Graph g;
    g.add_custom_unit("src", [=] { return std::make_unique<CountingSource>("src", tokens); });
    if (mode == "deadlock") {
      g.add_custom_unit("fork", [] { return std::make_unique<PassStage>("fork", 1, 2); });
      g.add_custom_unit(
          "hold", [=] { return std::make_unique<HoldUnit>("hold", static_cast<int>(tokens)); });
      g.add_custom_unit("join", [] { return std::make_unique<PassStage>("join", 2, 1); });
      g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
      g.connect("src", "fork", ChannelTiming{depth, 1, 1});
      g.connect("fork.out0", "join.in0", ChannelTiming{depth, 1, 1});
      g.connect("fork.out1", "hold", ChannelTiming{depth, 1, 1});
      g.connect("hold", "join.in1", ChannelTiming{depth, 1, 1});
      g.connect("join", "sink", ChannelTiming{depth, 1, 1});
      return g;
    }
    std::string prev = "src";
    for (int i = 0; i < stages; ++i) {
      std::string name = "s" + std::to_string(i);
      g.add_custom_unit(name, [=] { return std::make_unique<PassStage>(name); });
      g.connect(prev, name, ChannelTiming{depth, 1, 1});
      prev = name;
    }
    g.add_custom_unit("sink", [] { return std::make_unique<CollectingSink>("sink"); });
    g.connect(prev, "sink", ChannelTiming{depth, 1, 1});
    return g;
  };
}

// A fresh directory under the system temp dir, removed at destruction.
inline sweep::SweepOptions quiet_options(const std::string& study, const std::string& out,
                                         int jobs = 2) {
  static std::ostringstream sink;
  sweep::SweepOptions o;
  o.study_path = study;
  o.out_dir = out;
  o.jobs = jobs;
  o.log = &sink;
  sink.str("");
  return o;
}

}  // namespace streamsim::testing
