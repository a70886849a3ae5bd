#include "tests/bench/bench_pipeline.h"

#include <memory>
#include <string>

#include "tests/bench/bench_units.h"

namespace streamsim::bench {

Graph build_bench_pipeline(const PipelineSpec& spec) {
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

}  // namespace streamsim::bench
