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
    if (IsLeadRank())
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
    if (IsLeadRank()) std::fprintf(stderr, "error: %s (see litemp --help)\n", msg.c_str());
    return kExitUsage;
  }
  for (auto* sub : app.get_subcommands()) {
    const std::string name = sub->get_name();
    // Only run and analyze split their work across an MPI job; the others run on rank 0.
    if (SizeOf(JobComm()) > 1 && name != "run" && name != "analyze") {
      if (!IsLeadRank()) return 0;
      std::fprintf(stderr, "note: 'litemp %s' runs on rank 0 only; the other ranks have nothing to do\n", name.c_str());
    }
    return commands.at(name)();
  }
  return kExitUsage;
}

}  // namespace litemp::cli
