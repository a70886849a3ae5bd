#pragma once
// A mapping of an attention cascade onto the spatial architecture: which cascade, how M and
// P are partitioned (M -> M1·M0, P -> P2·P1·P0), the loop order, which array each Einsum is
// bound to, whether Einsums are fused by pass or run one by one through DRAM (unfused),
// whether epochs are software-pipelined, and whether the 2D array interleaves two epochs'
// Einsums cycle by cycle (hiding fill and drain). Loaded from YAML (configs/spatial/*.yaml).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "graphs/spatial/cascade_costs.h"
#include "sim/core/types.h"

namespace streamsim::spatial {

enum class ArrayId { A2D, A1D };
const char* array_name(ArrayId a);

struct Mapping {
  std::string name;
  SourceLoc loc;
  std::string cascade;         // as written: a .cascade file relative to the mapping file
  SourceLoc cascade_loc;
  std::string cascade_file;    // absolute path of that file
  std::shared_ptr<const Cascade> costs;  // derived from the cascade (cascade_costs.h)
  bool unfused = false;        // every Einsum its own phase, intermediates through DRAM
  bool kernels = false;        // one phase (kernel) per run of Einsums on one array (QK | softmax | AV):
                               // outputs of a kernel through DRAM, its own intermediates on chip
  int M0 = 0, P0 = 0;          // 0 = the 2D array's side (cols for M0, rows for P0)
  int P1 = 1;                  // query tiles sharing one K/V chunk; 0 = auto (largest of
                               // 16, 8, 4, 2, 1 whose resident state fits the buffer)
  std::vector<std::string> loop_order{"p2", "m1", "p1"};
  std::map<std::string, ArrayId> binding;      // Einsum -> array
  std::map<std::string, SourceLoc> binding_loc;
  bool pipeline_epochs = true;  // a stage lags its producer by enough epochs to hide its latency
  bool interleave = true;       // 2D array alternates epochs' Einsums: fill/drain hidden
  SourceLoc binding_section_loc;
};

Mapping mapping_from_yaml(const YAML::Node& doc, const std::string& file = "");
Mapping load_mapping(const std::string& path);

}  // namespace streamsim::spatial
