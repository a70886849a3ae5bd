#include "sim/report/sink_checks.h"

#include "sim/units/sink.h"

namespace streamsim {

std::vector<SinkCheck> sink_checks(const RunResult& result) {
  std::vector<SinkCheck> out;
  for (const auto& u : result.unit_objects) {
    auto* sink = dynamic_cast<const units::SinkUnit*>(u.get());
    if (!sink || !sink->has_expectation()) continue;
    SinkCheck c;
    c.unit = sink->name();
    c.expected = sink->expected_count();
    c.received = sink->value_count();
    c.mismatches = sink->mismatches();
    c.max_abs_error = sink->max_abs_error();
    c.first_mismatch = sink->first_mismatch();
    out.push_back(c);
  }
  return out;
}

}  // namespace streamsim
