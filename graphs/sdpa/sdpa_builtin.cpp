// Registers the SDPA builders as the built-in graph "sdpa", so a YAML file can say
// `builtin: sdpa` with `builtin_params:` (configs/sdpa_*.yaml, docs/sdpa.md).
#include "graphs/sdpa/sdpa_graph.h"
#include "graphs/sdpa/sdpa_registry.h"
#include "sim/config/builtin_graphs.h"

namespace streamsim::sdpa {

namespace {

Graph build(const BuiltinParams& params, const SourceLoc& /*loc: the loader adds it*/) {
  // Each key alone first, so that a bad value or an unknown key is reported at its own line.
  for (const auto& [key, value] : params) {
    try {
      parse_sdpa_params({{key, value}});
    } catch (const Error& e) {
      throw BuiltinParamError(key, e.what());
    }
  }
  return build_sdpa_graph(parse_sdpa_params(params));
}

BuiltinGraphInfo info() {
  BuiltinGraphInfo i;
  i.name = "sdpa";
  i.doc = "scaled dot-product attention softmax(Q K^T / sqrt(D)) V: naive, naive_stable or reordered";
  i.param_docs = sdpa_param_docs();
  i.build = build;
  return i;
}

}  // namespace

STREAMSIM_REGISTER_BUILTIN_GRAPH(info());

}  // namespace streamsim::sdpa
