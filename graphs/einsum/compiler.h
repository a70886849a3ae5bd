#pragma once
// Lowers a cascade plus a loop order to a streaming-dataflow Graph of library units
// (docs/einsum-language.md, "Compiling to a graph"). Supported: plain-variable indices, at
// most one vector (D-wide) rank per Einsum, rank splits of inputs (`BK[e,m1,m0] =
// K[e, m1*M0+m0]`: a source streaming K in chunk order), iterative ranks whose update is a
// library fold (graphs/einsum/recurrence.h: scans, reduces and `shift` for T[v]).
// Anything outside it is an Error naming the Einsum's line.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graphs/einsum/ast.h"
#include "graphs/einsum/evaluator.h"
#include "sim/core/graph.h"

namespace streamsim {
namespace einsum {

struct CompileOptions {
  // Streamed ranks, outermost first, by rank name or index variable ("P", "m"). Every other
  // rank is a vector rank: its elements travel together in one token (width = its size).
  // A rank that the cascade splits (M read as m1*M0+m0) stands for its parts (m1, m0).
  std::vector<std::string> order;
  // Extra slots on FIFOs sized to a fiber or chunk: depth = elements held + slack. Unset:
  // the latency of the summary's path + 1, the least depth at full throughput. Negative
  // values probe the deadlock threshold (held - 1 still finishes; see docs/sdpa.md).
  std::optional<std::int64_t> fiber_slack;
  EvalOptions inputs;            // input values (sources) and expected outputs (sinks)
  double tolerance = 1e-9;       // sinks' tolerance against the evaluator
};

// One FIFO that the cascade's dependencies force to be deep.
struct SizedFifo {
  std::string channel;  // "from->to"
  std::int64_t depth = 0;
  std::int64_t held = 0;  // elements it must hold (depth - slack)
  std::string kind;       // "pass": an extra pass over a whole fiber; "chunk": one split chunk
  int pass = 0;           // kind "pass": the pass number (2, 3, ...) from the pass analysis
  std::string rank;       // the rank whose fiber (or chunk of) is held, e.g. "M" or "M0"
  std::string reason;
};

// A unit that holds a derived tensor to re-read it (a `replay`), with what it holds.
struct HeldBuffer {
  std::string unit;
  std::int64_t elements = 0;  // values held (tokens x width)
  std::string reason;
};

struct CompiledCascade {
  Graph graph;
  std::map<std::string, std::string> sinks;  // output tensor -> sink unit (expects its values)
  std::vector<SizedFifo> sized_fifos;
  std::vector<HeldBuffer> buffers;
  std::map<std::string, int> input_streams;  // input -> how many times it is streamed
  std::vector<std::string> order;            // the streamed ranks after expanding splits
  Evaluation reference;                      // the evaluator's values the sinks expect
  std::string report() const;
};

CompiledCascade compile_cascade(const Cascade& c, const CompileOptions& options);

}  // namespace einsum
}  // namespace streamsim
