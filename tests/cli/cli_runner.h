// Runs the built `litemp` binary as a subprocess and captures its exit status and output,
// plus small file-system helpers for CLI tests.
#ifndef LITEMP_TESTS_CLI_CLI_RUNNER_H_
#define LITEMP_TESTS_CLI_CLI_RUNNER_H_

#include <gtest/gtest.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace litemp::test {

struct CliResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the terminating signal, 0 when it exited
  std::string out, err;
};

// $LITEMP_CLI, else the litemp binary of this build.
std::string CliPath();

// Runs `litemp args...` to completion; stdout and stderr are captured through files in a
// private temp folder.
CliResult RunCli(const std::vector<std::string>& args);
// The same for any program: argv[0] is its path (another launcher, e.g. mpirun).
CliResult RunProgram(const std::vector<std::string>& argv);

// Starts `litemp args...` with stderr going to `err_file` (stdout to /dev/null); returns
// the child's pid. The caller waits for it (WaitCli).
pid_t StartCli(const std::vector<std::string>& args, const std::string& err_file);
// Waits for `pid`; fills exit_code/signal only.
CliResult WaitCli(pid_t pid);

// A fresh empty folder for the current test (removed by the caller's scope or left in
// /tmp for inspection when the test fails).
std::string FreshDir(const std::string& tag);
void WriteBytes(const std::string& path, const std::string& bytes);
std::string ReadBytes(const std::string& path);
// Every entry below `dir` (hidden ones included), relative paths, sorted; empty when
// `dir` does not exist.
std::vector<std::string> ListTree(const std::string& dir);

// Expects a clean failure: exited (no signal) with code 1 or 2, exactly one stderr line
// starting with "error: " and it is the last line, and that line contains every string
// of `names` (the flag, key, file or node the error is about).
::testing::AssertionResult FailsCleanly(const CliResult& r, const std::vector<std::string>& names);

}  // namespace litemp::test

#endif  // LITEMP_TESTS_CLI_CLI_RUNNER_H_
