// The litemp subcommands. Each Add*Command registers its flags on `app` and returns the
// function that runs it after parsing (returning the process exit code).
#ifndef LITEMP_CLI_COMMANDS_H_
#define LITEMP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>

namespace litemp::cli {

using RunFn = std::function<int()>;

RunFn AddInfoCommand(CLI::App* app);
RunFn AddEvalCommand(CLI::App* app);
RunFn AddBenchCommand(CLI::App* app);
RunFn AddRunCommand(CLI::App* app);
RunFn AddAnalyzeCommand(CLI::App* app);
RunFn AddPrepareCommand(CLI::App* app);

// Parses argv and runs one command; returns the process exit code.
int Main(int argc, char** argv);

}  // namespace litemp::cli

#endif  // LITEMP_CLI_COMMANDS_H_
