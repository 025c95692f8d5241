// Saves every quantizer's enabled flag of a QuantSim and puts them back, also when a sweep
// leaves early with an error.
#ifndef LITEMP_ANALYSIS_FLAG_GUARD_H_
#define LITEMP_ANALYSIS_FLAG_GUARD_H_

#include <vector>

#include "litemp/quantsim.h"

namespace litemp {

class QuantizerFlagGuard {
 public:
  explicit QuantizerFlagGuard(QuantSim& sim) : sim_(sim) {
    for (const Quantizer& q : sim.quantizers()) saved_.push_back(q.enabled);
  }
  // Restores the flags if Restore() was not called; a sync failure here cannot be reported
  // (the caller is already returning another error).
  ~QuantizerFlagGuard() {
    if (!restored_) (void)Restore();
  }
  QuantizerFlagGuard(const QuantizerFlagGuard&) = delete;
  QuantizerFlagGuard& operator=(const QuantizerFlagGuard&) = delete;

  // Flags as they were when the guard was made.
  bool was_enabled(int quantizer) const { return saved_[quantizer]; }
  // The flags then need restoring again (also by the destructor, on an early return).
  void DisableAll() {
    restored_ = false;
    for (Quantizer& q : sim_.quantizers()) q.enabled = false;
  }
  // Puts the saved flags back and syncs the executor's constants to them.
  Status Restore() {
    restored_ = true;
    auto& qs = sim_.quantizers();
    for (size_t i = 0; i < qs.size(); ++i) qs[i].enabled = saved_[i];
    return sim_.SyncConstants();
  }

 private:
  QuantSim& sim_;
  std::vector<bool> saved_;
  bool restored_ = false;
};

}  // namespace litemp

#endif  // LITEMP_ANALYSIS_FLAG_GUARD_H_
