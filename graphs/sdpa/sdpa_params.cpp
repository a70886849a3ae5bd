#include "graphs/sdpa/sdpa_params.h"

#include "sim/core/error.h"

namespace streamsim::sdpa {

const char* variant_name(Variant v) {
  switch (v) {
    case Variant::Naive: return "naive";
    case Variant::NaiveStable: return "naive_stable";
    case Variant::Reordered: return "reordered";
  }
  return "?";
}

const char* width_name(Width w) { return w == Width::Scalar ? "scalar" : "vector"; }

Variant parse_variant(const std::string& s) {
  if (s == "naive") return Variant::Naive;
  if (s == "naive_stable") return Variant::NaiveStable;
  if (s == "reordered") return Variant::Reordered;
  throw Error("unknown SDPA variant '" + s + "' (valid: naive, naive_stable, reordered)");
}

Width parse_width(const std::string& s) {
  if (s == "scalar") return Width::Scalar;
  if (s == "vector") return Width::Vector;
  throw Error("unknown SDPA width '" + s + "' (valid: scalar, vector)");
}

}  // namespace streamsim::sdpa
