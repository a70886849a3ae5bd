#pragma once
// Progress of one long run on stderr, and Ctrl-C: the RunMonitor that `streamsim run` gives
// the engine. While it lives, SIGINT and SIGTERM do not kill the process; they ask the engine
// to stop (within a fraction of a second: the engines poll their monitor many times a second),
// so the run reports what it reached and writes its report. A second Ctrl-C kills at once.
#include <chrono>
#include <csignal>
#include <iosfwd>
#include <string>

#include "sim/engines/engine.h"

namespace streamsim::cli {

class RunProgressMonitor : public RunMonitor {
 public:
  // `show`: print a progress line (simulated cycles, percentage of the sources' work when
  // known, simulation rate, ETA) at most every `interval` seconds; `in_place` (a terminal)
  // rewrites one line, otherwise (a log file) each report is a line of its own.
  // `max_cycles` > 0 gives the percentage when no source knows its total.
  RunProgressMonitor(std::ostream& out, bool show, bool in_place, Cycle max_cycles,
                     double interval);
  ~RunProgressMonitor() override;
  RunProgressMonitor(const RunProgressMonitor&) = delete;
  RunProgressMonitor& operator=(const RunProgressMonitor&) = delete;

  bool poll(const RunProgress& progress) override;
  // SIGINT or SIGTERM has arrived (the engines ask while they set a run up).
  bool stop_requested() override;
  // Clears the progress line (call before printing the report).
  void done();
  bool interrupted() const { return interrupted_; }
  int stop_signal() const;

  // The line poll() prints for `progress` after `elapsed` seconds (exposed for tests).
  static std::string format(const RunProgress& progress, Cycle max_cycles, double elapsed);

 private:
  std::ostream& out_;
  bool show_, in_place_;
  Cycle max_cycles_;
  double interval_;
  bool interrupted_ = false;
  bool line_shown_ = false;
  std::chrono::steady_clock::time_point start_, last_;
  struct sigaction old_int_ {
  }, old_term_{};
};

// "1:02:03" or "2:03" for a duration in seconds.
std::string clock_time(double seconds);

}  // namespace streamsim::cli
