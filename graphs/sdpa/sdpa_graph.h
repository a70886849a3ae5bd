#pragma once
// Builders of the three SDPA graphs (docs/sdpa.md): naive, naive_stable and reordered, at
// scalar width (Q.K^T as a matmul, one score every D cycles) or vector width (a D-wide dot
// product, one score per cycle). Sources stream Q once and K, V once per query row; no N x N
// stream is ever held anywhere but in the naive variants' long FIFOs.
#include "graphs/sdpa/sdpa_params.h"
#include "sim/core/graph.h"

namespace streamsim::sdpa {

// Throws streamsim::Error for inconsistent parameters (naming the parameter).
Graph build_sdpa_graph(const SdpaParams& p);

// Channel names of the long FIFOs: "long" (naive), "long_max" and "long_sum" (naive_stable).
std::vector<std::string> long_channel_names(Variant v);

// The smallest long-FIFO depth with which the naive variants run at full throughput (and
// the smallest with which they do not deadlock is one less). Derived in docs/sdpa.md.
Cycle naive_long_depth_min(const SdpaParams& p);

// The sink's name: its values are the attention output, heads x N x D, row-major.
inline const char* kSdpaSink = "out";

}  // namespace streamsim::sdpa
