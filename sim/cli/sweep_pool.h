#pragma once
// A pool of forked worker processes: at most `jobs` at a time, each killed (SIGKILL) when it
// runs longer than the timeout. Workers die with the parent (PR_SET_PDEATHSIG), so a sweep
// killed with SIGKILL leaves no orphan still writing into its directory. SIGINT and SIGTERM
// stop the pool: running workers are killed and unstarted tasks are left for a restart.
#include <cstddef>
#include <functional>

namespace streamsim::sweep {

struct WorkerEnd {
  enum class Kind { Exited, Signaled, TimedOut, Interrupted };
  Kind kind = Kind::Exited;
  int code = 0;  // exit status (Exited) or signal number (Signaled)
};

// Runs child_work(i) for i in [0, count) in worker processes; the value child_work returns is
// the worker's exit status. on_end(i, end) runs in the parent as each worker ends (not for
// workers killed by an interruption). Returns true if interrupted by SIGINT/SIGTERM.
bool run_in_workers(std::size_t count, int jobs, double timeout_seconds,
                    const std::function<int(std::size_t)>& child_work,
                    const std::function<void(std::size_t, const WorkerEnd&)>& on_end);

}  // namespace streamsim::sweep
