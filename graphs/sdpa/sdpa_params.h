#pragma once
// Parameters of the SDPA graph builders (graphs/sdpa/sdpa_graph.h).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/core/types.h"

namespace streamsim::sdpa {

enum class Variant { Naive, NaiveStable, Reordered };
enum class Width { Scalar, Vector };

const char* variant_name(Variant v);  // "naive", "naive_stable", "reordered"
const char* width_name(Width w);      // "scalar", "vector"
Variant parse_variant(const std::string& s);  // throws Error listing the valid names
Width parse_width(const std::string& s);

// II and latency of one unit; 0 keeps the unit type's own default (1, or for `dot` the
// derived adder-tree latency 1 + ceil(log2 D)).
struct UnitTiming {
  Cycle ii = 0;
  Cycle latency = 0;
};

struct SdpaParams {
  Variant variant = Variant::Reordered;
  int N = 64;      // sequence length
  int D = 16;      // head dimension
  int heads = 1;   // heads, processed one after another
  Width width = Width::Vector;
  std::uint64_t seed = 1;
  double score_scale = 1.0;  // Q, K uniform in [-sqrt(s), sqrt(s)): scores grow like s
  Cycle short_depth = 0;     // every FIFO but the long ones; 0 = per FIFO the least depth
                             // that keeps its producer at full rate, max(2, latency + 1)
  Cycle long_depth = 0;      // the naive variants' long FIFOs; 0 = the derived minimum that
                             // keeps full throughput (naive_long_depth_min)
  std::map<std::string, UnitTiming> timing;  // by unit name (sdpa_unit_names); absent = default
  bool check = true;   // give the sink the reference output as its expectation
  std::uint64_t keep = 1u << 20;  // values the sink keeps (for tests and reports)
};

// Names of the units the builder creates for these parameters (the keys of `timing`).
std::vector<std::string> sdpa_unit_names(const SdpaParams& p);

}  // namespace streamsim::sdpa
