// An interrupted `litemp run` must leave the previous results in --out intact, and the
// next run must clear what the interrupted one staged.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/cli_fixture.h"
#include "cli/shared_runs.h"

namespace litemp::test {
namespace {

using Interrupt = CliTest;

std::vector<std::string> Visible(const std::vector<std::string>& entries) {
  std::vector<std::string> r;
  for (const auto& e : entries)
    if (e[0] != '.') r.push_back(e);
  return r;
}

// Starts a run into out_ (which already holds a finished tiny result), kills it with `sig`
// once its first calibration is done, and checks what is left.
void KillMidway(const std::string& out, int sig) {
  const std::string summary = ReadBytes(out + "/summary.json");
  ASSERT_FALSE(summary.empty());
  const std::vector<std::string> before = ListTree(out);
  const std::string err = out + "_stderr.txt";
  pid_t pid = StartCli(MnistRun(out, 3000, 100, 32), err);
  ASSERT_GT(pid, 0);
  // Wait (without a deadline assertion) for the first "calibrate ..." line, then kill.
  bool reached = false, exited = false;
  for (int i = 0; i < 6000 && !reached && !exited; ++i) {
    reached = ReadBytes(err).find("calibrate:") != std::string::npos;
    int status = 0;
    exited = !reached && waitpid(pid, &status, WNOHANG) == pid;
    if (!reached && !exited) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(exited) << "the run ended before it could be interrupted: " << ReadBytes(err);
  ASSERT_TRUE(reached);
  kill(pid, sig);
  CliResult r = WaitCli(pid);
  EXPECT_EQ(r.signal, sig) << "exit code " << r.exit_code;
  EXPECT_EQ(ReadBytes(out + "/summary.json"), summary);
  EXPECT_EQ(Visible(ListTree(out)), Visible(before));
}


TEST_F(Interrupt, KillLeavesPreviousResults) {
  LITEMP_REQUIRE_SHARED();
  for (int sig : {SIGKILL, SIGINT, SIGTERM}) {
    SCOPED_TRACE(sig);
    ASSERT_EQ(Run(model_).exit_code, 0);
    KillMidway(out_, sig);
  }
  // The next run finishes and clears what the killed runs staged.
  CliResult r = Run(model_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& e : ListTree(out_)) EXPECT_NE(e[0], '.') << e << " left in " << out_;
}

}  // namespace
}  // namespace litemp::test
