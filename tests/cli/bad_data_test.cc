// Bad data through `litemp run/eval`: missing or unreadable files, corrupt images, bad
// labels, non-finite inputs. Each must fail with one `error:` line naming the file.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "cli/cli_fixture.h"
#include "testutil/kernel_runner.h"

namespace litemp::test {
namespace {

using BadData = CliTest;

// A .npy v1.0 float32 file of `shape` holding `values`.
std::string Npy(const std::vector<float>& values, const std::string& shape) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string r = std::string("\x93NUMPY\x01\x00", 8);
  r += static_cast<char>(header.size() & 0xff);
  r += static_cast<char>(header.size() >> 8);
  r += header;
  r.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
  return r;
}

// One labelled file in a folder of its own; returns the data flags for it.
std::vector<std::string> OneFileData(const CliTest& t, const std::string& dir, const std::string& name,
                                     const std::string& bytes, int label = 0) {
  std::filesystem::create_directories(dir);
  WriteBytes(dir + "/" + name, bytes);
  std::string csv = "file,label\n";
  for (int i = 0; i < 8; ++i) csv += name + "," + std::to_string(label) + "\n";
  WriteBytes(dir + "/labels.csv", csv);
  return {"--images", dir, "--labels", dir + "/labels.csv", "--raw-shape", "4,4,1"};
}

TEST_F(BadData, MissingLabelsFile) {
  ExpectFails(Run(model_, {}, {"--images", data_, "--labels", Path("none.csv"), "--raw-shape", "4,4,1"}),
              {"none.csv"});
}

TEST_F(BadData, LabelsFileIsADirectory) {
  ExpectFails(Run(model_, {}, {"--images", data_, "--labels", data_, "--raw-shape", "4,4,1"}), {data_});
}

TEST_F(BadData, MissingImagesFolder) {
  ExpectFails(Run(model_, {}, {"--images", Path("nodir"), "--labels", data_ + "/labels.csv", "--raw-shape", "4,4,1"}),
              {"nodir"});
}

TEST_F(BadData, MissingImageFile) {
  std::filesystem::remove(data_ + "/img5.bin");
  ExpectFails(Run(model_), {"img5.bin"});
}

TEST_F(BadData, ImageFileIsADirectory) {
  std::filesystem::remove(data_ + "/img5.bin");
  std::filesystem::create_directories(data_ + "/img5.bin");
  ExpectFails(Run(model_), {"img5.bin"});
}

TEST_F(BadData, WrongSizeRawImage) {
  WriteBytes(data_ + "/img3.bin", std::string(15, '\x10'));
  ExpectFails(Run(model_), {"img3.bin"});
}

TEST_F(BadData, CorruptJpeg) {
  std::string junk = std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11) + std::string(200, '\x5a');
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("jpg"), "bad.jpg", junk)), {"bad.jpg"});
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("jpg0"), "empty.jpg", "")), {"empty.jpg"});
}

TEST_F(BadData, TruncatedRealJpeg) {
  LITEMP_REQUIRE_SHARED();
  std::string full = ReadBytes(SharedDir() + "/data/imagenet_sample/n01440764_tench.JPEG");
  ASSERT_GT(full.size(), 1000u);
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("cut"), "cut.jpg", full.substr(0, full.size() / 2))),
              {"cut.jpg"});
}

TEST_F(BadData, CorruptPng) {
  std::string sig("\x89PNG\r\n\x1a\n", 8);
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("png"), "bad.png", sig + std::string(64, '\x01'))),
              {"bad.png"});
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("png0"), "sig.png", sig)), {"sig.png"});
}

TEST_F(BadData, UnsupportedExtension) {
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("gif"), "a.gif", "GIF89a")), {"a.gif"});
}

TEST_F(BadData, LabelOutOfRange) {
  std::string csv = "file,label\nimg0.bin,0\n";
  for (int i = 1; i < 12; ++i) csv += "img" + std::to_string(i) + ".bin,7\n";
  WriteBytes(data_ + "/labels.csv", csv);
  ExpectFails(Run(model_), {"label 7", ".bin'"});
  ExpectFails(Run(model_, {"--label-offset", "-8"}), {"label -", "--label-offset"});
}

TEST_F(BadData, MalformedLabels) {
  WriteBytes(data_ + "/labels.csv", "file,label\nimg0.bin,zero\n");
  ExpectFails(Run(model_), {"labels.csv"});
  WriteBytes(data_ + "/labels.csv", "");
  ExpectFails(Run(model_), {"labels.csv"});
  WriteBytes(data_ + "/labels.csv", "file,label\nimg0.bin,99999999999999999999999\n");
  ExpectFails(Run(model_), {"labels.csv"});
}

TEST_F(BadData, NonFiniteNpyInput) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::infinity()}) {
    std::vector<float> v(16, 0.5f);
    v[9] = bad;
    SCOPED_TRACE(bad);
    std::vector<std::string> data = OneFileData(*this, Path("npy"), "nan.npy", Npy(v, "(1, 4, 4)"));
    ExpectFails(Run(model_, {}, data), {"nan.npy"});
  }
}

TEST_F(BadData, FolderWithoutLabelsHoldsNoSamples) {
  std::filesystem::create_directories(Path("empty"));
  ExpectFails(Run(model_, {}, {"--images", Path("empty")}), {Path("empty"), "holds no"});
  std::filesystem::create_directories(Path("other"));
  WriteBytes(Path("other/a.gif"), "GIF89a");
  WriteBytes(Path("other/notes.txt"), "text");
  ExpectFails(Run(model_, {}, {"--images", Path("other")}), {Path("other"), "2 other entries skipped"});
}

TEST_F(BadData, CorruptNpz) {
  std::string zip_end("PK\x05\x06", 4);
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("npz"), "bad.npz", "PK\x03\x04 not really")), {"bad.npz"});
  ExpectFails(Run(model_, {}, OneFileData(*this, Path("npz0"), "cut.npz", zip_end + std::string(30, '\xff'))),
              {"cut.npz"});
  std::filesystem::create_directories(Path("unlabeled"));
  WriteBytes(Path("unlabeled/x.npz"), "");
  CliResult r =
      RunCli({"analyze", model_, "--images", Path("unlabeled"), "--out", out_, "--calib", "6", "--sens", "3"});
  EXPECT_TRUE(FailsCleanly(r, {"x.npz"}));
}

TEST_F(BadData, MissingIdxFiles) {
  ExpectFails(Run(model_, {}, {"--idx-images", Path("i.gz"), "--idx-labels", Path("l.gz")}), {"i.gz"});
  std::string gz = Write("trunc.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8));
  ExpectFails(Run(model_, {}, {"--idx-images", gz, "--idx-labels", gz}), {"trunc.gz"});
}

TEST_F(BadData, EvalNamesTheFileToo) {
  std::filesystem::remove(data_ + "/img2.bin");
  CliResult r = RunCli({"eval", model_, "--images", data_, "--labels", data_ + "/labels.csv", "--raw-shape", "4,4,1"});
  EXPECT_TRUE(FailsCleanly(r, {"img2.bin"}));
}

}  // namespace
}  // namespace litemp::test
