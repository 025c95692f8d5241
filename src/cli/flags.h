// Flags shared by several commands (data source, preprocessing, threads) and helpers to
// print errors in the CLI's one-line format.
#ifndef LITEMP_CLI_FLAGS_H_
#define LITEMP_CLI_FLAGS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "litemp/comm.h"
#include "litemp/data.h"
#include "litemp/quantsim.h"
#include "litemp/status.h"

namespace litemp::cli {

// Exit codes: 0 success, 1 failure on the given input, 2 bad command line.
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

struct DataFlags {
  std::string images, labels, idx_images, idx_labels, raw_shape;
  std::string mean = "0", std = "1";
  std::string resize, crop;  // "N" or "H,W"; empty = not given
  bool grayscale = false;
  std::string layout = "nchw";
  int64_t label_offset = 0, limit = 0;
  int batch = 32;
  int threads = 0;
  uint64_t seed = 0;

  // Adds --images ... --seed (with --grayscale and --layout) to `cmd`.
  void Add(CLI::App* cmd);
  // Validates the combination and fills `out`; InvalidArgument naming the flag.
  Status ToOptions(DataOptions* out) const;
  // True when some data source was given.
  bool HasSource() const { return !images.empty() || !idx_images.empty(); }
};

// Quantization flags: --quant, --config, --scheme, --percentile, --calib.
struct QuantFlags {
  std::string quant;  // empty: FP32
  std::string config = "default";
  std::string scheme = "min_max";
  float percentile = 100.f;
  int64_t calib = 100;

  void Add(CLI::App* cmd, bool with_quant);
  // Validates and fills `out` (precisions from --quant, or W8A8 when empty).
  Status ToOptions(QuantSimOptions* out) const;
};

// Most threads --threads accepts: more only oversubscribes the cores, and libgomp crashes
// (SIGSEGV) when the system cannot create that many threads.
constexpr int kMaxThreads = 1024;
// Validates --threads (0 = all cores, or this rank's share of them in an MPI job, else
// 1..kMaxThreads) and applies it.
Status ApplyThreads(int threads);

// The MPI job this process is a rank of (set by main; null: none), and how many of its
// ranks share this node.
void SetJob(Comm* comm, int local_ranks);
Comm* JobComm();
// Rank 0 of the job, or no job: the process that prints results and errors.
bool IsLeadRank();

// Parses "a,b,c" into floats (at least one); InvalidArgument naming `flag` otherwise.
Status ParseFloatList(const std::string& flag, const std::string& text, std::vector<float>* out);

// Parses a size flag: "N" sets *n (0 = off) and zeroes *h, *w; "H,W" (both positive) sets
// *h, *w and zeroes *n; empty text zeroes all three. InvalidArgument naming `flag` otherwise.
Status ParseSizeFlag(const std::string& flag, const std::string& text, int* n, int* h, int* w);

// Prints "error: <msg>" to stderr and returns kExitError.
int Fail(const Status& s);
int Fail(const std::string& msg);

}  // namespace litemp::cli

#endif  // LITEMP_CLI_FLAGS_H_
