#include "sim/cli/sweep_worker.h"

#include "sim/cli/sweep_files.h"
#include "sim/core/error.h"
#include "sim/engines/engine.h"
#include "sim/report/output_file.h"

namespace streamsim::sweep {

bool run_point_and_write(const StudyPoint& point, const PointContext& ctx, const GraphBuilder& build,
                         const std::string& record_path) {
  Json record;
  try {
    Graph graph = build(point);
    graph.validate();
    auto engine = make_engine(ctx.engine);
    RunOptions options;
    options.max_cycles = ctx.max_cycles;
    RunResult result = engine->run(graph, options);
    record = record_from_run(point, ctx, graph, result);
  } catch (const Error& e) {
    record = record_failed(point, ctx, Outcome::Error, e.what());
  } catch (const std::bad_alloc&) {
    record = record_failed(point, ctx, Outcome::Error, "out of memory while building or running the point");
  } catch (const std::exception& e) {
    record = record_failed(point, ctx, Outcome::Error, std::string("internal error: ") + e.what());
  }
  try {
    write_output_file(record_path, seal_record(std::move(record)));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace streamsim::sweep
