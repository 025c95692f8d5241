// Reader for AIMET encodings JSON (versions 1.0.0, 0.6.1 and 2.0.0; docs/formats/encodings.md)
// and AIMET's load_encodings_to_sim: put a file's encodings into a QuantSim and freeze them.
//
//   auto sim = QuantSim::Create(model, QuantSimOptions{});
//   LITEMP_RETURN_IF_ERROR(LoadEncodingsFile(*sim, "model.encodings"));
//   sim->Run(batch, &outputs);   // no calibration needed
//
// Every error names the file and the JSON key path of the bad entry
// (e.g. "m.encodings: param_encodings[3].scale: ...").
#ifndef LITEMP_LOAD_ENCODINGS_H_
#define LITEMP_LOAD_ENCODINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "litemp/quantsim.h"

namespace litemp {

// One tensor's encoding as a file states it.
struct FileEncoding {
  enum Section { kActivation, kParam, kAny };  // kAny: 2.0.0 does not separate them
  std::string name;        // ONNX tensor name
  std::string key;         // JSON key path, for errors
  Section section = kAny;
  bool fp16 = false;
  int bitwidth = 8;
  bool symmetric = false;
  std::vector<float> scale;     // one per channel (one when per-tensor)
  std::vector<int64_t> offset;  // AIMET offsets (<= 0), same length as scale
  std::optional<int> axis;      // per-channel axis when the file gives one (2.0.0)
};

struct EncodingsFile {
  std::string version;
  // quantizer_args.strict_symmetric when present (1.0.0/0.6.1); else the simulation's setting.
  std::optional<bool> strict_symmetric;
  std::vector<FileEncoding> entries;
};

// Parses and validates encodings JSON text; `source` names it in errors.
Result<EncodingsFile> ParseEncodings(const std::string& json_text, const std::string& source);

// AIMET load_encodings_to_sim: every quantizer named in `file` (by tensor name, and by
// section where the file has them) is enabled with the file's precision and encodings and
// frozen (ComputeEncodings keeps them); every other quantizer is disabled. Fails, changing
// nothing, when an entry names a tensor without a quantizer or does not fit it
// (channel count, axis, per-channel on an activation).
Status LoadEncodingsToSim(QuantSim& sim, const EncodingsFile& file, const std::string& source);

// ReadFile + ParseEncodings + LoadEncodingsToSim.
Status LoadEncodingsFile(QuantSim& sim, const std::string& path);

}  // namespace litemp

#endif  // LITEMP_LOAD_ENCODINGS_H_
