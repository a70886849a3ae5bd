// The VCD writer. SystemC's own sc_trace samples signals while the kernel runs, which fits
// neither the fast engine nor a trace derived after the run, so the (small) format is written
// here: a header declaring one scope per unit and one for the FIFOs, the values at the
// window's start ($dumpvars), then value changes in time order.
#include <algorithm>
#include <ctime>
#include <sstream>

#include "sim/report/run_trace.h"

namespace streamsim {

namespace {

// VCD identifier codes: printable ASCII 33..126, as short as possible.
std::string vcd_id(std::size_t n) {
  std::string id;
  do {
    id += static_cast<char>(33 + n % 94);
    n /= 94;
  } while (n > 0);
  return id;
}

// Names may not contain whitespace; '.' is GTKWave's hierarchy separator.
std::string vcd_name(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '-' && i + 1 < name.size() && name[i + 1] == '>') {
      out += "__";
      ++i;
    } else if (c == '.') {
      out += ':';
    } else if (c == ' ' || c == '\t' || c == '\n') {
      out += '_';
    } else {
      out += c;
    }
  }
  return out;
}

std::string binary(std::uint64_t v) {
  std::string s;
  do {
    s += static_cast<char>('0' + (v & 1));
    v >>= 1;
  } while (v);
  std::reverse(s.begin(), s.end());
  return s;
}

struct Change {
  Cycle at;
  std::size_t signal;
  std::uint64_t value;
};

}  // namespace

std::string vcd_trace(const Graph& graph, const RunTrace& trace) {
  std::ostringstream os;
  const std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&now));
  os << "$date " << date << " $end\n$version streamsim " << STREAMSIM_VERSION << " $end\n";
  os << "$comment 1 ns = 1 cycle; cycles " << trace.begin() << " to " << trace.end()
     << (trace.truncated()
             ? " (truncated: the event budget ran out; use --trace-window for later cycles)"
             : "")
     << " $end\n$timescale 1ns $end\n$scope module streamsim $end\n";

  // Signals: per unit busy, stall_in, stall_out (ids 3u .. 3u+2); per channel occupancy.
  const std::size_t units = static_cast<std::size_t>(graph.unit_count());
  for (std::size_t u = 0; u < units; ++u) {
    os << "$scope module " << vcd_name(graph.unit(static_cast<int>(u)).name) << " $end\n";
    os << "$var wire 1 " << vcd_id(3 * u) << " busy $end\n";
    os << "$var wire 1 " << vcd_id(3 * u + 1) << " stall_in $end\n";
    os << "$var wire 1 " << vcd_id(3 * u + 2) << " stall_out $end\n";
    os << "$upscope $end\n";
  }
  os << "$scope module fifos $end\n";
  for (int c = 0; c < graph.channel_count(); ++c)
    os << "$var integer 32 " << vcd_id(3 * units + static_cast<std::size_t>(c)) << " "
       << vcd_name(graph.channel(c).name) << " $end\n";
  os << "$upscope $end\n$upscope $end\n$enddefinitions $end\n";

  std::vector<Change> changes;
  for (std::size_t u = 0; u < units; ++u) {
    for (const ActivitySpan& s : trace.unit_activity(static_cast<int>(u))) {
      changes.push_back({s.from, 3 * u, s.what == Activity::Busy ? 1u : 0u});
      changes.push_back({s.from, 3 * u + 1, s.what == Activity::StalledInput ? 1u : 0u});
      changes.push_back({s.from, 3 * u + 2, s.what == Activity::StalledOutput ? 1u : 0u});
    }
  }
  for (int c = 0; c < graph.channel_count(); ++c)
    for (const OccupancyStep& s : trace.occupancy(c))
      changes.push_back({s.at, 3 * units + static_cast<std::size_t>(c), s.occupancy});
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.at < b.at; });

  // $dumpvars: every signal's value at the first instant (0 unless a change sets it there).
  std::vector<std::uint64_t> value(3 * units + static_cast<std::size_t>(graph.channel_count()), 0);
  auto write = [&](std::size_t signal, std::uint64_t v) {
    if (signal < 3 * units)
      os << v << vcd_id(signal) << "\n";
    else
      os << "b" << binary(v) << " " << vcd_id(signal) << "\n";
  };
  std::size_t i = 0;
  for (; i < changes.size() && changes[i].at == trace.begin(); ++i)
    value[changes[i].signal] = changes[i].value;
  os << "#" << trace.begin() << "\n$dumpvars\n";
  for (std::size_t signal = 0; signal < value.size(); ++signal) write(signal, value[signal]);
  os << "$end\n";
  Cycle current = trace.begin();
  for (; i < changes.size(); ++i) {
    const Change& ch = changes[i];
    if (value[ch.signal] == ch.value) continue;
    value[ch.signal] = ch.value;
    if (ch.at != current) {
      os << "#" << ch.at << "\n";
      current = ch.at;
    }
    write(ch.signal, ch.value);
  }
  // The end of the trace, unless it is the instant just written (an empty trace, e.g.
  // --trace-limit 0, or a change at the very end): a time may appear once only.
  if (trace.end() > current) os << "#" << trace.end() << "\n";
  return os.str();
}

}  // namespace streamsim
