#include "sim/cli/sweep_runner.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "sim/cli/run_progress.h"
#include "sim/cli/sweep_files.h"
#include "sim/cli/sweep_pool.h"
#include "sim/cli/sweep_record.h"
#include "sim/cli/sweep_results.h"
#include "sim/cli/sweep_worker.h"
#include "sim/core/error.h"
#include "sim/core/plural.h"
#include "sim/engines/engine.h"
#include "sim/report/output_file.h"

namespace streamsim::sweep {
namespace {

std::string first_line(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

std::string worker_failure(const WorkerEnd& end, double timeout_seconds) {
  switch (end.kind) {
    case WorkerEnd::Kind::TimedOut: {
      std::ostringstream os;
      os << "killed after the per-point timeout of " << timeout_seconds
         << " s (--timeout; raise it, then rerun with --retry-failed)";
      return os.str();
    }
    case WorkerEnd::Kind::Signaled:
      return "worker process killed by signal " + std::to_string(end.code) + " (" +
             strsignal(end.code) + ")";
    default:
      return "worker process exited with status " + std::to_string(end.code) +
             " without a valid record";
  }
}

}  // namespace

SweepSummary run_sweep(const SweepOptions& opt, const GraphBuilder& build) {
  std::ostream& log = opt.log ? *opt.log : std::cerr;
  Study study = load_study(opt.study_path);
  std::string engine = opt.engine.empty() ? study.engine : opt.engine;
  make_engine(engine);  // an unknown engine is an error before any point runs
  check_output_folder(opt.out_dir, "--out");  // and so is a bad --out
  Cycle max_cycles = opt.max_cycles.value_or(study.max_cycles);
  double timeout = opt.timeout_seconds.value_or(study.timeout_seconds);
  int jobs =
      opt.jobs > 0 ? opt.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  std::string points_dir = opt.out_dir + "/points";
  make_dirs(points_dir);
  DirLock lock(opt.out_dir);
  remove_temp_files(points_dir);
  remove_temp_files(opt.out_dir);
  write_output_file(opt.out_dir + "/sweep.json",
                    make_manifest(study, opt.shard, engine).dump(1) + "\n");

  std::vector<const StudyPoint*> scope;
  for (const auto& p : study.points)
    if (in_shard(p.id, opt.shard)) scope.push_back(&p);

  SweepSummary sum;
  sum.in_scope = scope.size();
  std::vector<PointContext> contexts;
  std::map<std::string, Json> records;  // id -> valid record
  std::vector<std::size_t> todo;        // indices into scope
  for (std::size_t i = 0; i < scope.size(); ++i) {
    const StudyPoint& p = *scope[i];
    contexts.push_back(make_context(study, p, engine, max_cycles));
    std::string path = points_dir + "/" + p.id + ".json";
    if (file_exists(path)) {
      Json r;
      std::string why = check_record(read_file(path, "sweep point record"), p, contexts.back(), &r);
      if (why.empty() && (record_ok(r) || !opt.retry_failed)) {
        records[p.id] = std::move(r);
        ++sum.skipped;
        continue;
      }
      if (!why.empty()) {
        log << "sweep: redoing point " << p.id << ": its record cannot be reused: " << why << "\n";
        ++sum.redone;
      }
    }
    todo.push_back(i);
  }

  ResultsSummary results;
  results.study_path = study.path;
  results.study_sha256 = study.sha256;
  results.scope = opt.shard.count == 1 ? "all"
                                       : "shard " + std::to_string(opt.shard.index) + "/" +
                                             std::to_string(opt.shard.count);
  results.param_names = study.param_names;
  auto last_publish = std::chrono::steady_clock::now();
  const auto started = last_publish;
  auto publish = [&] {
    std::vector<Json> rows;
    results.missing.clear();
    for (const auto* p : scope) {
      auto it = records.find(p->id);
      if (it != records.end())
        rows.push_back(it->second);
      else
        results.missing.push_back(p->id);
    }
    write_results(opt.out_dir, results, rows);
    last_publish = std::chrono::steady_clock::now();
  };
  publish();

  log << "sweep: " << count_of(scope.size(), "point");
  if (opt.shard.count > 1) log << " in " << results.scope << " (of " << study.points.size() << ")";
  log << ", " << sum.skipped << " already done, " << todo.size() << " to run with " << jobs
      << " worker" << (jobs == 1 ? "" : "s") << "\n";

  auto child = [&](std::size_t k) -> int {
    std::size_t i = todo[k];
    return run_point_and_write(*scope[i], contexts[i], build,
                               points_dir + "/" + scope[i]->id + ".json")
               ? 0
               : 3;
  };
  std::size_t finished = 0;
  auto on_end = [&](std::size_t k, const WorkerEnd& end) {
    std::size_t i = todo[k];
    const StudyPoint& p = *scope[i];
    std::string path = points_dir + "/" + p.id + ".json";
    Json r;
    std::string why = end.kind == WorkerEnd::Kind::Exited && end.code == 0 && file_exists(path)
                          ? check_record(read_file(path, "sweep point record"), p, contexts[i], &r)
                          : "no record";
    if (!why.empty()) {
      // The worker could not speak for itself (timeout, crash): the parent records why.
      Outcome o = end.kind == WorkerEnd::Kind::TimedOut ? Outcome::Timeout : Outcome::Crashed;
      r = record_failed(p, contexts[i], o, worker_failure(end, timeout));
      write_output_file(path, seal_record(r));
    }
    records[p.id] = r;
    ++sum.ran;
    ++finished;
    if (opt.progress || ::isatty(STDERR_FILENO)) {
      // Points take similar times on average, so the ETA is the mean time per point so far.
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const std::size_t left = todo.size() - finished;
      log << "sweep: [" << finished << "/" << todo.size() << "] " << p.id << ": "
          << r.value("outcome", "?")
          << (r["cycles"].is_number() ? ", " + r["cycles"].dump() + " cycles" : std::string())
          << "; " << (100 * finished / todo.size()) << "% done, elapsed "
          << cli::clock_time(elapsed)
          << (left ? ", ETA " + cli::clock_time(elapsed / static_cast<double>(finished) *
                                                static_cast<double>(left))
                   : std::string())
          << "\n";
    }
    // The summaries are rebuilt from every record, so for big studies rebuilding them after
    // each point would cost O(points²); at most once a second keeps them fresh and cheap.
    // (Point files themselves are always written at once.)
    if (std::chrono::steady_clock::now() - last_publish >= std::chrono::seconds(1)) publish();
  };
  sum.interrupted = run_in_workers(todo.size(), jobs, timeout, child, on_end);
  publish();

  std::vector<std::string> failed_lines;
  for (const auto* p : scope) {
    auto it = records.find(p->id);
    if (it == records.end()) {
      ++sum.missing;
    } else if (record_ok(it->second)) {
      ++sum.ok;
    } else {
      ++sum.failed;
      const std::string outcome = it->second.value("outcome", "?");
      if (!record_is_result(it->second))
        ++sum.errors;
      else if (outcome == outcome_name(Outcome::Deadlock))
        ++sum.deadlocked;
      else
        ++sum.over_max_cycles;
      failed_lines.push_back("  " + p->id + ": " + outcome + ": " +
                             first_line(it->second.value("reason", "")));
    }
  }
  log << "sweep: " << (sum.interrupted ? "interrupted; " : "") << sum.ok << " finished, "
      << sum.deadlocked << " deadlocked, " << sum.over_max_cycles << " over --max-cycles, "
      << sum.errors << " error" << (sum.errors == 1 ? "" : "s");
  if (sum.missing) log << ", " << sum.missing << " not run (restart the same command to finish)";
  log << " of " << count_of(sum.in_scope, "point") << "; results in " << opt.out_dir
      << "/results.csv\n";
  for (const auto& l : failed_lines) log << l << "\n";
  if (sum.errors > 0)
    log << "sweep: exit status 1: " << sum.errors << " point" << (sum.errors == 1 ? "" : "s")
        << " ended in an error, not a result (fix the input, then rerun with --retry-failed)\n";
  return sum;
}

}  // namespace streamsim::sweep
