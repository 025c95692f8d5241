// `litemp run` command lines on the small shared models (MNIST CNN, ResNet-8), kept short
// with --limit so CLI tests stay quick.
#ifndef LITEMP_TESTS_CLI_SHARED_RUNS_H_
#define LITEMP_TESTS_CLI_SHARED_RUNS_H_

#include <string>
#include <vector>

#include "testutil/kernel_runner.h"

namespace litemp::test {

// `run <mnist_cnn> <mnist idx data> --limit N --calib C --sens S --out OUT`.
inline std::vector<std::string> MnistRun(const std::string& out, int limit = 200, int calib = 32, int sens = 8) {
  const std::string s = SharedDir();
  return {"run", s + "/models/mnist_cnn.onnx", "--idx-images", s + "/data/mnist/t10k-images-idx3-ubyte.gz",
          "--idx-labels", s + "/data/mnist/t10k-labels-idx1-ubyte.gz", "--std", "0.00392156862745098",
          "--limit", std::to_string(limit), "--calib", std::to_string(calib), "--sens", std::to_string(sens),
          "--out", out};
}

// The same on ResNet-8 and the CIFAR-10 sample (200 raw images).
inline std::vector<std::string> Resnet8Run(const std::string& out, int limit = 96, int calib = 32, int sens = 8) {
  const std::string s = SharedDir();
  const std::string d = s + "/data/cifar10_ic01";
  return {"run", s + "/models/resnet8_cifar10.onnx", "--images", d, "--labels", d + "/y_labels.csv",
          "--raw-shape", "32,32,3", "--std", "0.00392156862745098", "--limit", std::to_string(limit),
          "--calib", std::to_string(calib), "--sens", std::to_string(sens), "--out", out};
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_CLI_SHARED_RUNS_H_
