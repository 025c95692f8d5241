// litemp command-line tool: parses flags, calls the library, prints, maps errors to exit codes.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <new>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // Activations are large and short-lived: keep freed memory in the heap instead of
  // returning it to the kernel, so each inference does not page-fault fresh mmap()s
  // (measured: ~580 ms of system time per MobileNetV2 batch of 32 without this).
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  try {
    return litemp::cli::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "error: out of memory (try a smaller --batch, --sens or --memory-budget)\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "error: unexpected failure\n");
  }
  return 70;
}
