// The memory mapping holding an address, from /proc/self/maps: how the external-data tests
// tell a view of a file's mapping from a copy.
#ifndef LITEMP_TESTS_TESTUTIL_PROC_MAPS_H_
#define LITEMP_TESTS_TESTUTIL_PROC_MAPS_H_

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace litemp::test {

// One line of /proc/self/maps.
struct MapsEntry {
  uintptr_t start = 0, end = 0;
  std::string perms, path;  // path is empty for anonymous mappings
};

// The mapping holding address `p` (a default entry when none does). Read line by line:
// anonymous mappings have no path field.
inline MapsEntry MappingOf(const void* p) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    MapsEntry e;
    std::string range, offset, dev, inode;
    in >> range >> e.perms >> offset >> dev >> inode;
    std::getline(in >> std::ws, e.path);
    e.start = std::stoull(range.substr(0, range.find('-')), nullptr, 16);
    e.end = std::stoull(range.substr(range.find('-') + 1), nullptr, 16);
    if (a >= e.start && a < e.end) return e;
  }
  return {};
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_TESTUTIL_PROC_MAPS_H_
