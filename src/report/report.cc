// WriteRunReport: puts every report file that applies into one folder.
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "litemp/fileio.h"
#include "litemp/report.h"
#include "report/report_util.h"

namespace litemp {

Status WriteRunReport(const RunReport& r, const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty()) return Status::InvalidArgument("report directory is empty");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create report directory '" + dir + "': " + ec.message());
  if (!fs::is_directory(dir, ec)) {
    return Status::IOError("report directory '" + dir + "' exists and is not a directory");
  }
  const fs::path base(dir);
  // A summary.json from an earlier run would claim this run finished before it has.
  const std::string summary_path = (base / "summary.json").string();
  fs::remove(summary_path, ec);
  if (ec) return Status::IOError("cannot replace '" + summary_path + "': " + ec.message());

  std::vector<std::pair<const char*, std::string>> files;
  files.emplace_back("sensitivity.csv", SensitivityCsv(r));
  files.emplace_back("sensitivity.json", report::SensitivityJson(r));
  if (!r.predictions.empty()) files.emplace_back("predictions.csv", PredictionsCsv(r));
  files.emplace_back("report.html", ReportHtml(r));
  for (const auto& [name, text] : files) {
    LITEMP_RETURN_IF_ERROR(WriteFileAtomic((base / name).string(), text));
  }
  // Last: its presence means every other file is complete.
  return WriteFileAtomic(summary_path, SummaryJson(r));
}

}  // namespace litemp
