// `matmul`: streaming C[m,n] = A[m,k] · B[k,n], one multiply-accumulate per firing.
//
// Element C[i,j] takes k firings; firing t (0 <= t < k) multiplies A[i,t] by B[t,j] and the
// k-th firing also sends C[i,j]. Outputs leave row-major. B's column j arrives as k
// consecutive scalars (B is streamed column-major, i.e. as rows of Bᵀ).
//   buffered: the k firings of C[i,0] read A[i,t] and B[t,0] and keep A's row in a K-long
//             buffer; the firings of C[i,j>0] read only B. A is streamed once (m*k values),
//             B m times (m*n*k values).
//   repeated: every firing reads A[i,t] and B[t,j]; the upstream repeats each row of A n
//             times (m*n*k values of A and of B).
#include <vector>

#include "sim/core/registry.h"
#include "sim/units/unit_params.h"

namespace streamsim::units {

namespace {

const char* kType = "matmul";
constexpr std::uint32_t kA = 1u, kB = 2u;

class MatmulUnit : public Unit {
 public:
  MatmulUnit(const std::string& name, const Params& p)
      : Unit(name, kType),
        m_(p.get_int("m")),
        k_(p.get_int("k")),
        n_(p.get_int("n")),
        buffered_(p.get_string("mode") == "buffered") {
    if (buffered_) row_.assign(static_cast<std::size_t>(k_), 0.0);
    add_input("a", 1);
    add_input("b", 1);
    add_output("out", 1);
    set_timing(p.get_int("ii"), p.get_int("latency"));
    rule_ = FiringRule{kA | kB, k_ == 1 ? 1u : 0u, false};
  }

  void fire(FiringIO& io) override {
    double a;
    if (rule_.reads & kA) {
      a = io.in[0][0];
      if (buffered_) row_[static_cast<std::size_t>(t_)] = a;
    } else {
      a = row_[static_cast<std::size_t>(t_)];
    }
    acc_ += a * io.in[1][0];
    if (++t_ == k_) {
      io.out[0][0] = acc_;
      acc_ = 0;
      t_ = 0;
      if (++j_ == n_) {
        j_ = 0;
        ++i_;
      }
    }
    rule_.reads = (!buffered_ || j_ == 0) ? (kA | kB) : kB;
    rule_.writes = t_ == k_ - 1 ? 1u : 0u;
    rule_.done = i_ == m_;
  }

  std::string describe_state() const override {
    return "matmul: element (" + std::to_string(i_) + "," + std::to_string(j_) + ") of " +
           std::to_string(m_) + "x" + std::to_string(n_) + ", " + std::to_string(t_) + " of " +
           std::to_string(k_) + " MACs";
  }

 private:
  std::int64_t m_, k_, n_;
  bool buffered_;
  std::vector<double> row_;
  std::int64_t i_ = 0, j_ = 0, t_ = 0;
  double acc_ = 0;
};

UnitTypeInfo make_info() {
  UnitTypeInfo info;
  info.type = kType;
  info.doc =
      "Streaming C[m,n] = A[m,k]*B[k,n] with one multiply-accumulate per firing (ii cycles apart); "
      "the firing doing the k-th MAC of C[i,j] also sends it (outputs row-major, m*n scalars, then "
      "the unit finishes). B arrives column by column: column j as k consecutive scalars. "
      "mode buffered: for each row i, the k firings of C[i,0] read A[i,0..k-1] (kept in a K-long "
      "row buffer) together with B's column 0; later columns read only B, so A is streamed once "
      "and B m times. mode repeated: every firing reads one A and one B value, so A's row i must "
      "arrive n times (upstream repeat).";
  info.inputs = {
      {"a", "A row-major (buffered: m*k scalars; repeated: each row n times, m*n*k)"},
      {"b", "B column-major (column j = k consecutive scalars), once per row of A: m*n*k"}};
  info.outputs = {{"out", "C row-major: m*n scalars"}};
  info.schema = with_timing({
      int_param("m", std::nullopt, 1, kNoMax, "rows of A and C"),
      int_param("k", std::nullopt, 1, kNoMax, "columns of A, rows of B (MACs per output)"),
      int_param("n", std::nullopt, 1, kNoMax, "columns of B and C"),
      string_param("mode", "buffered", {"buffered", "repeated"},
                   "buffered: keep A's row (A streamed once); repeated: read A with every B value"),
  });
  info.make = [](const std::string& name, const Params& p) {
    return std::make_unique<MatmulUnit>(name, p);
  };
  return info;
}

STREAMSIM_REGISTER_UNIT(make_info());

}  // namespace

}  // namespace streamsim::units
