#include "tests/bench/bench_pipeline.h"

#include <memory>
#include <string>

#include "tests/bench/bench_units.h"

namespace streamsim::bench {

namespace {

// The same pipeline from the operator library's registered types: a ramp source (0, 1, 2,
// ...), `map` with op offset (x + 1), and a sink that keeps no values (it counts and sums).
Graph build_library_pipeline(const PipelineSpec& spec) {
  const ChannelTiming fifo{2, 1, 1};
  Graph g;
  g.add_unit("src", "source",
             Params().set("kind", "ramp").set("count", static_cast<std::int64_t>(spec.tokens)));
  std::string prev = "src";
  for (int i = 0; i < spec.stages; ++i) {
    std::string name = "map" + std::to_string(i);
    g.add_unit(name, "map", Params().set("op", "offset").set("constant", 1.0));
    g.connect(prev, name, fifo);
    prev = name;
  }
  g.add_unit("sink", "sink", Params().set("keep", 0));
  g.connect(prev, "sink", fifo);
  return g;
}

}  // namespace

Graph build_bench_pipeline(const PipelineSpec& spec) {
  if (spec.library_units) return build_library_pipeline(spec);
  const ChannelTiming fifo{2, 1, 1};
  const std::uint64_t tokens = spec.tokens;
  Graph g;
  g.add_custom_unit("src", [tokens] { return std::make_unique<BenchSource>("src", tokens); });
  std::string prev = "src";
  for (int i = 0; i < spec.stages; ++i) {
    std::string name = "map" + std::to_string(i);
    g.add_custom_unit(name, [name] { return std::make_unique<AddOneMap>(name); });
    g.connect(prev, name, fifo);
    prev = name;
  }
  g.add_custom_unit("sink", [] { return std::make_unique<CheckingSink>("sink"); });
  g.connect(prev, "sink", fifo);
  return g;
}

double expected_last_value(const PipelineSpec& spec) {
  return static_cast<double>(spec.tokens) - 1.0 + spec.stages;
}

double expected_sum(const PipelineSpec& spec) {
  // Exact in double for any token count the bench runs (the partial sums stay below 2^53).
  const double n = static_cast<double>(spec.tokens);
  return n * (n - 1) / 2 + n * spec.stages;
}

}  // namespace streamsim::bench
