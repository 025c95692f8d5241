// sensitivity.csv and predictions.csv: RFC 4180, "\n" line ends, a header line, UTF-8.
#include <string>

#include "litemp/report.h"
#include "report/report_util.h"

namespace litemp {

std::string SensitivityCsv(const RunReport& r) {
  std::string out = "rank,layer,op_type,psnr_db,flipped,precision,w8a8_mse\n";
  int rank = 0;
  for (int i : report::RankedOrder(r)) {
    const LayerReport& l = r.sensitivity[i];
    out += std::to_string(++rank);
    out += ',' + report::CsvField(report::ValidUtf8(l.name));
    out += ',' + report::CsvField(report::ValidUtf8(l.op_type));
    out += ',' + report::Fixed(l.psnr, 4);
    out += l.flipped ? ",1" : ",0";
    out += ',' + report::CsvField(report::ValidUtf8(l.precision));
    out += ',' + (l.w8a8_mse ? report::Short(*l.w8a8_mse, 6) : std::string());
    out += '\n';
  }
  return out;
}

namespace {

// -1 means "not evaluated": an empty field, so spreadsheets see a blank, not a class.
std::string ClassField(int64_t c) { return c < 0 ? std::string() : std::to_string(c); }

}  // namespace

std::string PredictionsCsv(const RunReport& r) {
  std::string out = "file,label,fp32,w8a8,mixed\n";
  for (const auto& p : r.predictions) {
    out += report::CsvField(report::ValidUtf8(p.file));
    out += ',' + ClassField(p.label);
    out += ',' + ClassField(p.fp32);
    out += ',' + ClassField(p.w8a8);
    out += ',' + ClassField(p.mixed);
    out += '\n';
  }
  return out;
}

}  // namespace litemp
