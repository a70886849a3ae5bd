#include "sim/cli/sweep_pool.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "sim/core/error.h"

namespace streamsim::sweep {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int sig) { g_stop_signal = sig; }

using Clock = std::chrono::steady_clock;

struct Running {
  pid_t pid;
  std::size_t index;
  Clock::time_point start;
};

// Installs the stop handlers for the pool's lifetime and restores the previous ones after.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

pid_t spawn(std::size_t index, const std::function<int(std::size_t)>& child_work) {
  pid_t parent = ::getpid();
  std::fflush(nullptr);  // buffered output would otherwise be written twice
  pid_t pid = ::fork();
  if (pid < 0) throw Error(std::string("cannot start a worker process (fork failed): ") + std::strerror(errno));
  if (pid > 0) return pid;
  // Worker: default signal handling, and die with the parent.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(125);  // the parent died before prctl
  int code = 125;
  try {
    code = child_work(index);
  } catch (...) {
  }
  // _exit: the parent's atexit handlers and static destructors are not ours to run.
  ::_exit(code);
}

}  // namespace

bool run_in_workers(std::size_t count, int jobs, double timeout_seconds,
                    const std::function<int(std::size_t)>& child_work,
                    const std::function<void(std::size_t, const WorkerEnd&)>& on_end) {
  StopSignals signals;
  if (jobs < 1) jobs = 1;
  std::vector<Running> running;
  std::size_t next = 0;
  auto timeout = std::chrono::duration<double>(timeout_seconds);
  while (next < count || !running.empty()) {
    if (g_stop_signal) break;
    while (static_cast<int>(running.size()) < jobs && next < count) {
      running.push_back(Running{spawn(next, child_work), next, Clock::now()});
      ++next;
    }
    bool any_ended = false;
    for (std::size_t k = 0; k < running.size();) {
      Running& r = running[k];
      int status = 0;
      pid_t got = ::waitpid(r.pid, &status, WNOHANG);
      WorkerEnd end;
      if (got == r.pid && WIFSIGNALED(status) && (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM)) {
        // Ctrl-C reaches the whole process group, and Slurm's scancel signals every process
        // of the job: the worker was stopped, not broken. Stop the pool; record nothing.
        g_stop_signal = WTERMSIG(status);
        running.erase(running.begin() + static_cast<long>(k));
        continue;
      } else if (got == r.pid) {
        end.kind = WIFEXITED(status) ? WorkerEnd::Kind::Exited : WorkerEnd::Kind::Signaled;
        end.code = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
      } else if (timeout_seconds > 0 && Clock::now() - r.start > timeout) {
        ::kill(r.pid, SIGKILL);
        ::waitpid(r.pid, &status, 0);
        end.kind = WorkerEnd::Kind::TimedOut;
      } else {
        ++k;
        continue;
      }
      std::size_t index = r.index;
      running.erase(running.begin() + static_cast<long>(k));
      on_end(index, end);
      any_ended = true;
    }
    // Polling keeps this simple and portable; 5 ms is far below any point's run time that
    // matters and costs nothing measurable.
    if (!any_ended) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!g_stop_signal) return false;
  for (const auto& r : running) ::kill(r.pid, SIGKILL);
  for (const auto& r : running) {
    int status = 0;
    ::waitpid(r.pid, &status, 0);
  }
  return true;
}

}  // namespace streamsim::sweep
