// The litemp subcommands. Each Add*Command registers its flags on `app` and returns the
// function that runs it after parsing (returning the process exit code).
#ifndef LITEMP_CLI_COMMANDS_H_
#define LITEMP_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "litemp/data.h"
#include "litemp/workflow.h"

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

// The flags of `litemp run` (analyze: `litemp analyze`), without the program and command
// names, as WorkflowOptions: the Python module's run() takes the CLI's options through this,
// so both accept and reject the same values with the same messages.
Status ParseRunArgs(const std::vector<std::string>& argv, bool analyze, WorkflowOptions* out);
// The data flags (--images ... --seed) as DataOptions, likewise for the Python Dataset.
Status ParseDataArgs(const std::vector<std::string>& argv, DataOptions* out);

}  // namespace litemp::cli

#endif  // LITEMP_CLI_COMMANDS_H_
