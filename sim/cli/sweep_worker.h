#pragma once
// The body of one worker process: build the point's graph, run it, write its record.
#include <string>

#include "sim/cli/sweep_record.h"
#include "sim/cli/sweep_runner.h"

namespace streamsim::sweep {

// Never throws: every failure becomes a failed record. Returns false only if the record
// itself could not be written.
bool run_point_and_write(const StudyPoint& point, const PointContext& ctx, const GraphBuilder& build,
                         const std::string& record_path);

}  // namespace streamsim::sweep
