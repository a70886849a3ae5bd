#pragma once
// Lowers a cascade plus a loop order to a streaming-dataflow Graph of library units
// (docs/einsum-language.md, "Compiling to a graph"). Supported subset: Einsums without
// iterative ranks or rank splits, plain-variable indices, at most one vector (D-wide) rank
// per Einsum. Anything outside it is an Error naming the Einsum's line.
#include <cstdint>
#include <map>
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
  std::vector<std::string> order;
  std::int64_t fiber_slack = 2;  // extra slots on FIFOs sized to a fiber
  EvalOptions inputs;            // input values (sources) and expected outputs (sinks)
};

// One FIFO that the pass structure forces to be deep.
struct SizedFifo {
  std::string channel;  // "from->to"
  std::int64_t depth = 0;
  std::string reason;
};

struct CompiledCascade {
  Graph graph;
  std::map<std::string, std::string> sinks;  // output tensor -> sink unit (expects its values)
  std::vector<SizedFifo> sized_fifos;
  std::map<std::string, int> input_streams;  // input -> how many times it is streamed
  Evaluation reference;                      // the evaluator's values the sinks expect
  std::string report() const;
};

CompiledCascade compile_cascade(const Cascade& c, const CompileOptions& options);

}  // namespace einsum
}  // namespace streamsim
