// `mpirun -n 2 litemp run ...`: the sweep's layers and the evaluation's batches split over
// two ranks give byte-identical outputs to one process (MobileNetV2, ResNet-8); a rank that
// errors, crashes or is killed ends the whole job non-zero, naming the rank, with no output
// folder left. Built with MPI only (LITEMP_MPIEXEC is mpirun's path); each rank runs one
// thread, as the single process does, so the two cores are shared fairly.
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli/cli_runner.h"
#include "cli/same_outputs.h"
#include "cli/shared_runs.h"

namespace litemp::test {
namespace {

#ifdef LITEMP_MPIEXEC

// timeout 300 mpirun -n R [as root: --allow-run-as-root] litemp ARGS: a job whose ranks
// wait for each other forever fails (exit code 124) instead of stalling the tests.
std::vector<std::string> Mpirun(int ranks, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/timeout", "300", LITEMP_MPIEXEC, "-n", std::to_string(ranks),
                                "--oversubscribe"};
  if (::geteuid() == 0) argv.push_back("--allow-run-as-root");
  argv.push_back(CliPath());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

int ErrorLines(const std::string& err) {
  std::stringstream ss(err);
  int n = 0;
  for (std::string line; std::getline(ss, line);) n += line.rfind("error: ", 0) == 0;
  return n;
}

class Mpi : public ::testing::Test {
 protected:
  void SetUp() override {
    LITEMP_REQUIRE_SHARED();
    dir_ = FreshDir("mpi");
  }
  void TearDown() override {
    std::error_code ec;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ec);
  }
  // One process and two ranks on the same command, one thread per process.
  void Compare(const std::vector<std::string>& one_args, const std::vector<std::string>& two_args,
               const std::string& one, const std::string& two) {
    CliResult a = RunCli(With(one_args, {"--threads", "1", "--json"}));
    ASSERT_EQ(a.exit_code, 0) << a.err;
    CliResult b = RunProgram(Mpirun(2, With(two_args, {"--threads", "1", "--json"})));
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_EQ(ErrorLines(b.err), 0) << b.err;
    ExpectSameOutputs(one, two);
    EXPECT_EQ(Summary(two)["resources"]["ranks"], 2);
    EXPECT_EQ(Summary(one)["resources"]["ranks"], 1);
  }
  std::string dir_;
};

TEST_F(Mpi, Resnet8TwoRanksAreByteIdenticalToOneProcess) {
  const std::string one = dir_ + "/one", two = dir_ + "/two";
  // The percent sweep adds simulations whose evaluation is split too.
  Compare(With(Resnet8Run(one, 96, 32, 16), {"--percent-sweep", "0,20"}),
          With(Resnet8Run(two, 96, 32, 16), {"--percent-sweep", "0,20"}), one, two);
}

std::vector<std::string> MobileNetRun(const std::string& out) {
  const std::string s = SharedDir(), d = s + "/data/imagenet_sample";
  return {"run", s + "/models/mobilenet_v2.onnx", "--images", d, "--labels", d + "/labels.csv",
          "--label-offset", "1", "--resize", "256", "--crop", "224", "--mean", "0.5", "--std", "0.5",
          "--limit", "96", "--calib", "16", "--sens", "8", "--batch", "16", "--out", out};
}

TEST_F(Mpi, MobileNetV2TwoRanksAreByteIdenticalToOneProcess) {
  const std::string one = dir_ + "/one", two = dir_ + "/two";
  Compare(MobileNetRun(one), MobileNetRun(two), one, two);
}

// A fault injected on rank 1 (LITEMP_TEST_FAULT, read at each exchange) on a small run.
CliResult RunWithFault(const std::string& out, const std::string& fault) {
  ::setenv("LITEMP_TEST_FAULT", fault.c_str(), 1);
  CliResult r = RunProgram(Mpirun(2, With(Resnet8Run(out, 64, 16, 4), {"--threads", "1", "--json"})));
  ::unsetenv("LITEMP_TEST_FAULT");
  return r;
}

// With `fault` on rank 1: the job fails, stderr holds one `error:` line and it contains
// `line`, and no output folder is left.
void ExpectOneErrorLine(const std::string& out, const std::string& fault, const std::string& line) {
  CliResult r = RunWithFault(out, fault);
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_EQ(ErrorLines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(line), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out)) << "output folder left behind";
}

TEST_F(Mpi, AnErrorOnOneRankEndsTheJobWithOneLineNamingIt) {
  ExpectOneErrorLine(dir_ + "/out", "1:sensitivity:error", "error: rank 1: fault injected at 'sensitivity'");
}

TEST_F(Mpi, ACrashingRankEndsTheJobWithOneLineNamingIt) {
  ExpectOneErrorLine(dir_ + "/out", "1:evaluation:crash", "error: rank 1: crashed");
}

TEST_F(Mpi, AnExceptionOnOneRankAbortsTheJob) {
  // The rank cannot tell the others through an exchange; it aborts the job instead of
  // waiting in MPI_Finalize for ranks that wait for it (a hang).
  ExpectOneErrorLine(dir_ + "/out", "1:sensitivity:throw", "error: rank 1: out of memory");
}

TEST_F(Mpi, AKilledRankEndsTheJobAndWritesNothing) {
  // SIGKILL leaves the rank no chance to speak: mpirun reports it, naming the rank, and
  // stops the others before rank 0 writes anything (the last exchange precedes the writes).
  for (const char* tag : {"evaluation", "done"}) {
    SCOPED_TRACE(tag);
    const std::string out = dir_ + "/out_" + tag;
    CliResult r = RunWithFault(out, std::string("1:") + tag + ":kill");
    EXPECT_NE(r.exit_code, 0) << r.err;
    EXPECT_LE(ErrorLines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("rank 1"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << "output folder left behind";
  }
}

TEST_F(Mpi, BadInputFailsOnceNotOncePerRank) {
  CliResult r = RunProgram(Mpirun(2, {"run", dir_ + "/missing.onnx", "--images", dir_, "--out", dir_ + "/out"}));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(ErrorLines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("missing.onnx"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/out"));
}

#else

TEST(Mpi, NotBuilt) { GTEST_SKIP() << "litemp was built without MPI (LITEMP_MPI=OFF or no MPI found)"; }

// Started by mpirun anyway, each rank would run the whole job and write the same --out.
TEST(MpiNotBuilt, ARankRefusesToRunAlone) {
  ::setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
  CliResult r = RunCli({"info", "whatever.onnx"});
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  EXPECT_TRUE(FailsCleanly(r, {"built without MPI"}));
}

#endif

}  // namespace
}  // namespace litemp::test
