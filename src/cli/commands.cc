#include "cli/commands.h"

#include <cstdio>
#include <map>

#include "cli/flags.h"

namespace litemp::cli {

int Main(int argc, char** argv) {
  CLI::App app{"litemp: find the layers of an ONNX model that cannot take 8 bits"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "litemp 0.1.0");
  std::map<std::string, RunFn> commands;
  commands["info"] = AddInfoCommand(&app);
  commands["eval"] = AddEvalCommand(&app);
  commands["bench"] = AddBenchCommand(&app);
  commands["run"] = AddRunCommand(&app);
  commands["analyze"] = AddAnalyzeCommand(&app);
  commands["prepare"] = AddPrepareCommand(&app);
  // CLI11 would only say "A subcommand is required" for a misspelt command.
  if (argc > 1 && argv[1][0] != '-' && !commands.count(argv[1])) {
    std::fprintf(stderr, "error: unknown command '%s' (expected info, eval, bench, run, analyze or prepare)\n", argv[1]);
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    std::fprintf(stderr, "error: %s (see litemp --help)\n", msg.c_str());
    return kExitUsage;
  }
  for (auto* sub : app.get_subcommands()) return commands.at(sub->get_name())();
  return kExitUsage;
}

}  // namespace litemp::cli
