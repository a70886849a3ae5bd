#pragma once
// Shared helpers of the SDPA graph tests: run a graph on the fast engine and read its sink.
#include <cstdint>

#include "graphs/sdpa/sdpa_graph.h"
#include "sim/engines/engine.h"
#include "sim/units/sink.h"

namespace streamsim::sdpa::testing {

inline RunResult run_sdpa(const SdpaParams& p) {
  Graph g = build_sdpa_graph(p);
  return make_engine("fast")->run(g);
}

inline const units::SinkUnit& sink_of(const RunResult& r) { return *r.unit_as<units::SinkUnit>(kSdpaSink); }

inline std::uint64_t total_peak(const RunResult& r) {
  std::uint64_t sum = 0;
  for (const auto& c : r.channels) sum += c.peak_occupancy;
  return sum;
}

inline const ChannelStats* channel(const RunResult& r, const std::string& name) {
  for (const auto& c : r.channels)
    if (c.name == name) return &c;
  return nullptr;
}

inline SdpaParams params(Variant v, int n, int d, Width w = Width::Vector) {
  SdpaParams p;
  p.variant = v;
  p.N = n;
  p.D = d;
  p.width = w;
  return p;
}

}  // namespace streamsim::sdpa::testing
