#include "cli/cli_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

extern char** environ;

namespace litemp::test {

namespace fs = std::filesystem;

std::string CliPath() {
  const char* env = std::getenv("LITEMP_CLI");
  return env && *env ? env : LITEMP_CLI_DEFAULT;
}

namespace {

// Runs argv_s[0] (a path) with arguments argv_s[1...].
pid_t SpawnProgram(std::vector<std::string> argv_s, const std::string& out_file, const std::string& err_file) {
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

pid_t Spawn(const std::vector<std::string>& args, const std::string& out_file, const std::string& err_file) {
  std::vector<std::string> argv{CliPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  return SpawnProgram(std::move(argv), out_file, err_file);
}

CliResult Capture(const std::function<pid_t(const std::string&, const std::string&)>& spawn) {
  std::string dir = FreshDir("cli_io");
  CliResult r = WaitCli(spawn(dir + "/stdout", dir + "/stderr"));
  r.out = ReadBytes(dir + "/stdout");
  r.err = ReadBytes(dir + "/stderr");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return r;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) lines.push_back(line);
  return lines;
}

}  // namespace

pid_t StartCli(const std::vector<std::string>& args, const std::string& err_file) {
  return Spawn(args, "/dev/null", err_file);
}

CliResult WaitCli(pid_t pid) {
  CliResult r;
  int status = 0;
  if (pid <= 0 || waitpid(pid, &status, 0) != pid) return r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

CliResult RunCli(const std::vector<std::string>& args) {
  return Capture([&](const std::string& out, const std::string& err) { return Spawn(args, out, err); });
}

CliResult RunProgram(const std::vector<std::string>& argv) {
  return Capture([&](const std::string& out, const std::string& err) { return SpawnProgram(argv, out, err); });
}

std::string FreshDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
  fs::path p = fs::temp_directory_path() / ("litemp_cli_" + std::to_string(::getpid()) + "_" +
                                            std::to_string(counter++) + "_" + test + "_" + tag);
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
  ASSERT_TRUE(f.good()) << "cannot write " << path;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> ListTree(const std::string& dir) {
  std::vector<std::string> r;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return r;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec))
    r.push_back(fs::relative(it->path(), dir).string());
  std::sort(r.begin(), r.end());
  return r;
}

::testing::AssertionResult FailsCleanly(const CliResult& r, const std::vector<std::string>& names) {
  if (r.signal != 0)
    return ::testing::AssertionFailure() << "killed by signal " << r.signal << "; stderr:\n" << r.err;
  if (r.exit_code != 1 && r.exit_code != 2)
    return ::testing::AssertionFailure() << "exit code " << r.exit_code << " (want 1 or 2); stderr:\n" << r.err;
  std::vector<std::string> lines = Lines(r.err);
  int errors = 0;
  for (const auto& l : lines) errors += l.rfind("error: ", 0) == 0;
  if (errors != 1 || lines.empty() || lines.back().rfind("error: ", 0) != 0)
    return ::testing::AssertionFailure() << "want exactly one 'error: ' line, last on stderr; stderr:\n" << r.err;
  for (const auto& n : names)
    if (lines.back().find(n) == std::string::npos)
      return ::testing::AssertionFailure() << "the error does not name '" << n << "': " << lines.back();
  return ::testing::AssertionSuccess() << lines.back();
}

}  // namespace litemp::test
