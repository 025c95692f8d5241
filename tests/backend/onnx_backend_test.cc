// onnx_backend_test: runs ONNX's backend test cases (the libonnx-testdata package) through
// litemp and compares every output with ONNX's reference data.
//
//   onnx_backend_test [--filter SUBSTR] [--verbose] [--list-skips] [--no-fork] [--timeout S]
//
// Cases come from $LITEMP_ONNX_TESTDATA (default /usr/share/libonnx-testdata/data), folders
// node, pytorch-converted, pytorch-operator and simple. Tolerances are those of
// onnx/backend/test/runner: rtol 1e-3, atol 1e-7, NaN equals NaN; integers and bools exact.
// Each case runs in a forked child so a crashing or hanging kernel fails that case only
// (the parent never touches litemp, so OpenMP and oneDNN start fresh in every child).
// Exit status: 0 all good, 1 some case failed, 77 test data absent (CTest SKIP_RETURN_CODE).
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "backend/backend_case.h"

namespace fs = std::filesystem;
using litemp::test::CaseOutcome;

namespace {

constexpr int kSkipExitCode = 77;
const char* const kCategories[] = {"node", "pytorch-converted", "pytorch-operator", "simple"};

struct Options {
  std::string filter;
  bool verbose = false;
  bool list_skips = false;
  bool fork = true;
  int timeout_s = 120;
};

void Usage() {
  std::cerr << "usage: onnx_backend_test [--filter SUBSTR] [--verbose] [--list-skips] [--no-fork] [--timeout S]\n";
}

// "case_name  reason" lines; '#' starts a comment.
std::map<std::string, std::string> LoadKnownFailures(const std::string& path) {
  std::map<std::string, std::string> known;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t h = line.find('#');
    if (h != std::string::npos) line.resize(h);
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    size_t e = line.find_first_of(" \t", b);
    std::string name = line.substr(b, e == std::string::npos ? std::string::npos : e - b);
    std::string reason = e == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", e));
    known[name] = reason;
  }
  return known;
}

// Runs the case in a child process; a crash or timeout becomes a failure.
CaseOutcome RunIsolated(const std::string& dir, const litemp::test::Tolerance& tol, int timeout_s) {
  int fds[2];
  if (pipe(fds) != 0) {
    CaseOutcome o;
    o.kind = CaseOutcome::Kind::kFail;
    o.failures.push_back(std::string("pipe: ") + std::strerror(errno));
    return o;
  }
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm(static_cast<unsigned>(timeout_s));
    std::string text = litemp::test::SerializeOutcome(litemp::test::RunBackendCase(dir, tol));
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
      ssize_t w = write(fds[1], p, left);
      if (w <= 0) break;
      p += w;
      left -= static_cast<size_t>(w);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t r;
  while ((r = read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(r));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    CaseOutcome o;
    o.kind = CaseOutcome::Kind::kFail;
    int sig = WTERMSIG(status);
    o.failures.push_back(sig == SIGALRM ? "timed out after " + std::to_string(timeout_s) + " s"
                                        : std::string("crashed: ") + strsignal(sig));
    return o;
  }
  return litemp::test::ParseOutcome(text);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--filter" && i + 1 < argc) opt.filter = argv[++i];
    else if (a == "--verbose") opt.verbose = true;
    else if (a == "--list-skips") opt.list_skips = true;
    else if (a == "--no-fork") opt.fork = false;
    else if (a == "--timeout" && i + 1 < argc) opt.timeout_s = std::max(1, std::atoi(argv[++i]));
    else {
      Usage();
      return 2;
    }
  }
  const char* env = std::getenv("LITEMP_ONNX_TESTDATA");
  fs::path root = env && *env ? env : "/usr/share/libonnx-testdata/data";
  if (!fs::is_directory(root / "node")) {
    std::cout << "skipped: ONNX backend test data not found at " << root.string()
              << " (install libonnx-testdata or set LITEMP_ONNX_TESTDATA)\n";
    return kSkipExitCode;
  }
  const char* kf_env = std::getenv("LITEMP_BACKEND_KNOWN_FAILURES");
  auto known = LoadKnownFailures(kf_env && *kf_env ? kf_env : LITEMP_BACKEND_KNOWN_FAILURES);

  std::vector<std::string> cases;  // "category/test_name"
  for (const char* cat : kCategories) {
    fs::path d = root / cat;
    if (!fs::is_directory(d)) continue;
    for (const auto& e : fs::directory_iterator(d)) {
      if (!fs::exists(e.path() / "model.onnx")) continue;
      std::string name = std::string(cat) + "/" + e.path().filename().string();
      if (name.find(opt.filter) != std::string::npos) cases.push_back(name);
    }
  }
  std::sort(cases.begin(), cases.end());

  const litemp::test::Tolerance tol{1e-7, 1e-3, 0};
  int passed = 0, failed = 0, skipped = 0, xfailed = 0;
  std::map<std::string, int> skip_tally;
  std::vector<std::string> skip_lines, fixed_known;
  auto t0 = std::chrono::steady_clock::now();
  for (const std::string& name : cases) {
    std::string dir = (root / name).string();
    auto c0 = std::chrono::steady_clock::now();
    CaseOutcome o = opt.fork ? RunIsolated(dir, tol, opt.timeout_s) : litemp::test::RunBackendCase(dir, tol);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c0).count();
    std::string base = fs::path(name).filename().string();
    auto kf = known.find(base);
    if (kf == known.end()) kf = known.find(name);
    switch (o.kind) {
      case CaseOutcome::Kind::kPass:
        ++passed;
        if (kf != known.end()) fixed_known.push_back(name);
        if (opt.verbose) std::printf("PASS %s (%.0f ms)\n", name.c_str(), ms);
        break;
      case CaseOutcome::Kind::kSkip:
        ++skipped;
        for (const auto& k : o.skip_keys) ++skip_tally[k];
        skip_lines.push_back(name + ": " + o.skip_reason);
        if (opt.verbose) std::printf("SKIP %s: %s\n", name.c_str(), o.skip_reason.c_str());
        break;
      case CaseOutcome::Kind::kFail:
        if (kf != known.end()) {
          ++xfailed;
          if (opt.verbose) std::printf("XFAIL %s (known: %s): %s\n", name.c_str(), kf->second.c_str(), o.failures[0].c_str());
          break;
        }
        ++failed;
        for (const auto& f : o.failures) std::printf("FAIL %s: %s\n", name.c_str(), f.c_str());
        break;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (opt.list_skips) {
    std::printf("\nskipped cases:\n");
    for (const auto& l : skip_lines) std::printf("  %s\n", l.c_str());
  }
  if (!skip_tally.empty()) {
    std::vector<std::pair<std::string, int>> tally(skip_tally.begin(), skip_tally.end());
    std::stable_sort(tally.begin(), tally.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::printf("\nskips by op (a case may count under several ops):\n");
    for (const auto& [op, n] : tally) std::printf("  %-28s %d\n", op.c_str(), n);
  }
  for (const auto& n : fixed_known)
    std::printf("note: %s is listed in known_failures.txt but passes; remove it\n", n.c_str());
  if (xfailed) std::printf("%d known failures (tests/backend/known_failures.txt) not counted below\n", xfailed);
  std::printf("%zu cases from %s in %.1f s\n", cases.size(), root.string().c_str(), secs);
  std::printf("%d passed, %d failed, %d skipped (unsupported)\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
