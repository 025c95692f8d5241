#ifndef LITEMP_CLI_COMMANDS_H_
#define LITEMP_CLI_COMMANDS_H_

namespace litemp::cli {
// Parses argv and runs one command; returns the process exit code.
int Main(int argc, char** argv);
}  // namespace litemp::cli

#endif  // LITEMP_CLI_COMMANDS_H_
