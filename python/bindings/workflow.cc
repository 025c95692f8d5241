// litemp._run_workflow: the whole `litemp run` / `litemp analyze`, from the CLI's flags.
#include <optional>

#include "cli/commands.h"
#include "convert.h"
#include "litemp/report.h"
#include "litemp/workflow.h"
#include "model_source.h"

namespace litemp::python {

void RegisterWorkflow(py::module_& m) {
  m.def(
      "_run_workflow",
      [](const std::vector<std::string>& argv, bool analyze, bool verbose, py::object progress) {
        WorkflowOptions o;
        Check(cli::ParseRunArgs(argv, analyze, &o));
        o.quiet = !verbose;
        // verbose without a callback: the CLI's bars on stderr, so no sink.
        std::optional<ProgressCallback> cb;
        if (!verbose || !progress.is_none()) cb.emplace(std::move(progress));
        RunReport r;
        Status s;
        {
          py::gil_scoped_release nogil;
          UseThreads();
          s = RunWorkflow(o, &r);
        }
        if (cb) cb->RethrowIfFailed();
        Check(s);
        return SummaryJson(r);
      },
      py::arg("argv"), py::arg("analyze"), py::arg("verbose"), py::arg("progress"));
}

}  // namespace litemp::python
