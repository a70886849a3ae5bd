#pragma once
// One attention workload: a model's heads and head sizes, a batch, and a sequence length
// (M = P = seq, self-attention as in the FuseMax study).
#include <cstdint>
#include <string>

namespace streamsim::spatial {

struct Workload {
  std::string model = "BERT";
  int heads = 12;
  int E = 64, F = 64;
  int batch = 64;
  std::int64_t seq = 1024;
};

}  // namespace streamsim::spatial
