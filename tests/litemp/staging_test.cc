// Staging: which staging folders of other runs a new run clears (the lock decides, not the
// PID in the name), and that the lock file is never committed.
#include "litemp/staging.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace litemp {
namespace {

namespace fs = std::filesystem;

class StagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = fs::temp_directory_path() / ("litemp_staging_test_" + std::to_string(::getpid()));
    fs::remove_all(out_);
    fs::create_directories(out_);
  }
  void TearDown() override { fs::remove_all(out_); }

  // A staging folder as another run leaves it, named after `pid`, with a lock file or not.
  fs::path Folder(long pid, bool lock_file) {
    fs::path d = out_ / (".litemp-staging-" + std::to_string(pid));
    fs::create_directories(d);
    std::ofstream(d / "summary.json") << "{}";
    if (lock_file) std::ofstream(d / ".lock").flush();
    return d;
  }

  fs::path out_;
};

TEST_F(StagingTest, LockDecidesWhatIsStale) {
  // Named after a live process (this one's parent) but unlocked: its run is over (a reused
  // PID must not keep it).
  const fs::path unlocked = Folder(static_cast<long>(::getppid()), true);
  // Named after no process, but its lock is held by a live process: a running run.
  const fs::path held = Folder(999999999L, true);
  // No lock file: the PID decides (dead here).
  const fs::path old_dead = Folder(999999998L, false);
  const fs::path old_alive = Folder(1L, false);  // init is alive

  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // holds the lock until told to stop
    const int fd = ::open((held / ".lock").c_str(), O_RDWR);
    char c = fd >= 0 && ::flock(fd, LOCK_EX) == 0 ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(done[0], &c, 1);
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');

  {
    Staging s(out_.string());
    ASSERT_TRUE(s.Create().ok());
    EXPECT_FALSE(fs::exists(unlocked)) << "an unlocked folder was kept";
    EXPECT_TRUE(fs::exists(held)) << "a running run's folder was removed";
    EXPECT_FALSE(fs::exists(old_dead));
    EXPECT_TRUE(fs::exists(old_alive));
    // This run's own folder is locked against the next run.
    Staging other(out_.string());
    ASSERT_TRUE(other.Create().ok());
    EXPECT_TRUE(fs::exists(s.dir()));
    // Committing moves the staged files but not the lock file.
    std::ofstream(fs::path(s.dir()) / "summary.json") << "{\"ok\":1}";
    ASSERT_TRUE(s.Commit().ok());
    EXPECT_TRUE(fs::exists(out_ / "summary.json"));
    EXPECT_FALSE(fs::exists(out_ / ".lock"));
  }
  c = 'x';
  ASSERT_EQ(::write(done[1], &c, 1), 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  // The holder is gone: its folder is stale now.
  Staging next(out_.string());
  ASSERT_TRUE(next.Create().ok());
  EXPECT_FALSE(fs::exists(held));
  for (int fd : {ready[0], ready[1], done[0], done[1]}) ::close(fd);
}

}  // namespace
}  // namespace litemp
