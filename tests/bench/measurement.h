#pragma once
// One measurement of one variant of the benchmark pipeline, taken in the current process, and
// its one-line text form (how a child process hands it to the driver).
#include <cstdint>
#include <string>

#include "tests/bench/bench_pipeline.h"

namespace streamsim::bench {

// The variants: "fast" and "systemc" (the streamsim engines) and "handwritten" (the plain
// SystemC model of tests/bench/handwritten_systemc_pipeline.h).
const char* const kVariants[] = {"fast", "systemc", "handwritten"};

struct Measurement {
  bool available = false;
  std::string error;  // why it is not available
  std::int64_t cycles = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // CPU time of the process over the same span (less sensitive to load)
  std::uint64_t transfers = 0;
  std::uint64_t sink_count = 0;
  bool values_ok = false;  // the sink saw every token with the expected values
};

// Runs the variant once. SystemC-based variants can run once per process.
Measurement measure_variant(const std::string& variant, const PipelineSpec& spec);

std::string to_line(const Measurement& m);
// Parses the line printed by to_line from a child's output; an output without one yields an
// unavailable measurement carrying `fallback_error`.
Measurement from_output(const std::string& out, const std::string& fallback_error);

}  // namespace streamsim::bench
