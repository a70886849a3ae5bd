#include "sim/cli/run_progress.h"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace streamsim::cli {

namespace {

volatile std::sig_atomic_t g_run_stop_signal = 0;

// The first signal asks the run to stop; the handler then steps aside so that a second one
// kills the process the usual way (a run that does not stop can always be ended).
extern "C" void on_run_stop_signal(int sig) {
  g_run_stop_signal = sig;
  std::signal(sig, SIG_DFL);
}

std::string si(double v) {
  char buf[32];
  if (v >= 1e9)
    std::snprintf(buf, sizeof buf, "%.2f G", v / 1e9);
  else if (v >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2f M", v / 1e6);
  else if (v >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1f k", v / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f ", v);
  return buf;
}

}  // namespace

std::string clock_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

RunProgressMonitor::RunProgressMonitor(std::ostream& out, bool show, bool in_place,
                                       Cycle max_cycles, double interval)
    : out_(out), show_(show), in_place_(in_place), max_cycles_(max_cycles), interval_(interval) {
  start_ = last_ = std::chrono::steady_clock::now();
  g_run_stop_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_run_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

RunProgressMonitor::~RunProgressMonitor() {
  done();
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int RunProgressMonitor::stop_signal() const {
  return g_run_stop_signal;
}

std::string RunProgressMonitor::format(const RunProgress& p, Cycle max_cycles, double elapsed) {
  double fraction = -1;
  if (p.work_total > 0)
    fraction = static_cast<double>(p.work_done) / static_cast<double>(p.work_total);
  else if (max_cycles > 0)
    fraction = static_cast<double>(p.cycle) / static_cast<double>(max_cycles);
  std::string line = "streamsim: cycle " + si(static_cast<double>(p.cycle));
  if (fraction >= 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.1f%%", 100 * std::min(fraction, 1.0));
    line += " (" + std::string(pct) + ")";
  }
  if (elapsed > 0)
    line += ", " + si(static_cast<double>(p.cycle) / elapsed) + "cycles/s, " +
            si(static_cast<double>(p.transfers) / elapsed) + "transfers/s";
  line += ", elapsed " + clock_time(elapsed);
  if (fraction > 0 && fraction < 1)
    line += ", ETA " + clock_time(elapsed * (1 - fraction) / fraction);
  return line;
}

bool RunProgressMonitor::stop_requested() {
  if (g_run_stop_signal != 0) interrupted_ = true;
  return interrupted_;
}

bool RunProgressMonitor::poll(const RunProgress& progress) {
  if (g_run_stop_signal != 0) {
    interrupted_ = true;
    return false;
  }
  if (!show_) return true;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_) return true;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (in_place_) {
    // \r and erase-to-end-of-line: the line is rewritten in place on a terminal.
    out_ << "\r" << format(progress, max_cycles_, elapsed) << "\033[K" << std::flush;
    line_shown_ = true;
  } else {
    out_ << format(progress, max_cycles_, elapsed) << "\n" << std::flush;
  }
  return true;
}

void RunProgressMonitor::done() {
  if (!line_shown_) return;
  out_ << "\r\033[K" << std::flush;
  line_shown_ = false;
}

}  // namespace streamsim::cli
