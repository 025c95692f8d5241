// Comm::Exchange: statuses travel with every payload, so one rank's failure ends every rank.
#include "litemp/comm.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <new>
#include <numeric>

#include "core/bytes.h"

namespace litemp {

namespace {

// LITEMP_TEST_FAULT="RANK:TAG:KIND" makes rank RANK fail on reaching exchange TAG: KIND
// "error" (a Status), "throw" (std::bad_alloc, as a failed allocation), "crash" (SIGSEGV)
// or "kill" (SIGKILL: gone without a word, as when the kernel's OOM killer strikes). How the tests
// check that a failing rank ends the whole job cleanly; unset, it costs one getenv.
Status InjectedFault(int rank, const std::string& tag) {
  const char* spec = std::getenv("LITEMP_TEST_FAULT");
  if (!spec) return Status::OK();
  const std::string s = spec;
  const size_t a = s.find(':'), b = s.rfind(':');
  if (a == std::string::npos || a == b) return Status::OK();
  if (s.substr(0, a) != std::to_string(rank) || s.substr(a + 1, b - a - 1) != tag) return Status::OK();
  const std::string kind = s.substr(b + 1);
  if (kind == "throw") throw std::bad_alloc();
  if (kind == "crash") std::raise(SIGSEGV);
  if (kind == "kill") std::raise(SIGKILL);
  return Status::Internal("fault injected at '" + tag + "' (LITEMP_TEST_FAULT)");
}

}  // namespace

Result<std::vector<std::string>> Comm::Exchange(const std::string& tag, const Status& local, const std::string& payload) {
  if (!failed_.ok()) return failed_;
  Status mine = local;
  if (mine.ok()) mine = InjectedFault(rank(), tag);
  ByteWriter w;
  w.PutString(tag);
  w.Put<int>(static_cast<int>(mine.code()));
  w.PutString(mine.message());
  w.PutString(mine.ok() ? payload : std::string());
  std::vector<std::string> all;
  Status st = AllGather(w.Take(), &all);
  if (st.ok() && all.size() != static_cast<size_t>(size())) st = Status::Internal("exchange returned a wrong count");

  std::vector<std::string> payloads(all.size()), tags(all.size());
  int first_failed = -1, failing = 0;
  bool alike = true;
  Status first;
  for (size_t r = 0; st.ok() && r < all.size(); ++r) {
    ByteReader in(all[r]);
    int code = 0;
    std::string msg;
    st = in.GetString(&tags[r]);
    if (st.ok()) st = in.Get(&code);
    if (st.ok()) st = in.GetString(&msg);
    if (st.ok()) st = in.GetString(&payloads[r]);
    if (!st.ok() || code == 0) continue;
    ++failing;
    if (first_failed < 0) {
      first_failed = static_cast<int>(r);
      first = Status::FromCode(static_cast<Status::Code>(code), msg);
    } else {
      alike = alike && msg == first.message() && code == static_cast<int>(first.code());
    }
  }
  // An error every rank hit alike is the input's (a missing file), not one rank's.
  if (st.ok() && first_failed >= 0)
    st = alike && failing == size() ? first : first.WithContext("rank " + std::to_string(first_failed));
  if (st.ok())
    for (size_t r = 1; r < tags.size(); ++r)
      if (tags[r] != tags[0])
        st = Status::Internal("ranks out of step: rank 0 at '" + tags[0] + "', rank " + std::to_string(r) + " at '" +
                              tags[r] + "'");
  if (!st.ok()) {
    failed_ = st;
    return st;
  }
  return payloads;
}

Status LocalComm::AllGather(const std::string& mine, std::vector<std::string>* all) {
  all->assign(1, mine);
  return Status::OK();
}

std::vector<int> AssignByCost(const std::vector<double>& costs, int ranks) {
  ranks = std::max(ranks, 1);
  std::vector<int> owner(costs.size(), 0);
  if (ranks == 1) return owner;
  std::vector<size_t> order(costs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return costs[a] > costs[b]; });
  std::vector<double> load(ranks, 0.0);
  for (size_t i : order) {
    const int r = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    owner[i] = r;
    load[r] += costs[i];
  }
  return owner;
}

size_t BlockBegin(size_t n, int ranks, int r) {
  ranks = std::max(ranks, 1);
  return n * static_cast<size_t>(r) / static_cast<size_t>(ranks);
}

}  // namespace litemp
