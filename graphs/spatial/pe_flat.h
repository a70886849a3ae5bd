#pragma once
// The PE-level model of FLAT's mapping (docs/spatial.md, "PE-level model of FLAT"): the 3-pass
// cascade fused per block of P0 query rows. Pass 1: QK on the 2D array (output stationary,
// Q from the left, K from the top), each row's scores drained by a shift chain to the 1D PE
// serving the row, which keeps the whole softmax row in the buffer and takes its max (GM).
// Pass 2: SN = exp(QK - GM) and SD on the 1D array over the kept rows. Pass 3: A = SN / SD on
// the 1D array, loaded through each row's shift chain into the 2D array as the stationary
// operand of AV = A x V (V from the top, partial sums passed right); the row sums leave the
// last column for the buffer, which accumulates them over the key chunks. Units:
// spatial_pe_feed, spatial_pe2d_flat, spatial_pe_shift, spatial_pe1d_flat (pe_units.h).
#include <vector>

#include "graphs/spatial/pe_mapping.h"

namespace streamsim::spatial {

// Throws Error naming what the FLAT PE-level model does not cover.
PeLevelPlan pe_flat_plan(const Architecture& arch, const Mapping& mapping,
                         const CompiledMapping& compiled, const Workload& w);
// Units: q<p>, k<m>, v<m> feeds; pe<p>_<m>; drain d<p>_<m> and load l<p>_<m> cells; pe1d<k>;
// av<p> sinks (the row's AV partial sums of every chunk).
Graph build_pe_flat_graph(const PeLevelPlan& plan);
// AV[p][f] of one block: the buffer's accumulation of the chunks' row sums.
std::vector<std::vector<double>> pe_flat_av(const PeLevelPlan& plan, const RunResult& result);

}  // namespace streamsim::spatial
