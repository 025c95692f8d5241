#include "onnx/isolated_inference.h"

#include <onnx/shape_inference/implementation.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace litemp {

namespace {

// Child side: infer, then send back only what inference adds (value_info, output types).
[[noreturn]] void InferInChild(onnx::ModelProto* model, int fd) {
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);  // a crash here is expected on bad models: no core file
  try {
    onnx::ShapeInferenceOptions opts(/*check_type=*/false, /*error_mode=*/0, /*enable_data_propagation=*/true);
    onnx::shape_inference::InferShapes(*model, onnx::OpSchemaRegistry::Instance(), opts);
  } catch (...) {
    _exit(2);
  }
  onnx::GraphProto result;
  *result.mutable_value_info() = model->graph().value_info();
  *result.mutable_output() = model->graph().output();
  std::string bytes;
  if (!result.SerializeToString(&bytes)) _exit(3);
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(4);
    done += static_cast<size_t>(n);
  }
  _exit(0);
}

// Shape inference of a large model takes well under a second; a minute means it hangs.
constexpr int kTimeoutMs = 60000;

}  // namespace

Status InferShapesIsolated(onnx::ModelProto* model) {
  int fds[2];
  // Close-on-exec: another thread's fork+exec must not inherit the write end (the read
  // below would then wait for that unrelated process).
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::Internal(std::string("shape inference: pipe: ") + std::strerror(errno));
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Status::Internal(std::string("shape inference: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    InferInChild(model, fds[1]);
  }
  close(fds[1]);
  std::string bytes;
  char buf[1 << 16];
  bool timed_out = false;
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    int ready = poll(&p, 1, kTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {  // a hung child (e.g. a lock held at fork time): give up on inference
      kill(pid, SIGKILL);
      timed_out = true;
      break;
    }
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bytes.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return Status::Internal("ONNX shape inference timed out");
  if (WIFSIGNALED(status))
    return Status::Internal("ONNX shape inference crashed (signal " + std::to_string(WTERMSIG(status)) + ")");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Status::Internal("ONNX shape inference failed");
  onnx::GraphProto result;
  if (!result.ParseFromString(bytes) || result.output_size() != model->graph().output_size())
    return Status::Internal("ONNX shape inference returned an unreadable result");
  auto* g = model->mutable_graph();
  *g->mutable_value_info() = result.value_info();
  for (int i = 0; i < result.output_size(); ++i) *g->mutable_output(i) = result.output(i);
  return Status::OK();
}

}  // namespace litemp
