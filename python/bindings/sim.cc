// litemp._Sim: a QuantSim with the model it simulates, its session, calibration in two
// halves (for `with compute_encodings(sim):`), the sweeps, the flip and the exporters.
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <tuple>

#include "convert.h"
#include "litemp/export.h"
#include "litemp/load_encodings.h"
#include "litemp/mixed_precision.h"
#include "litemp/sensitivity.h"
#include "model_source.h"
#include "session.h"

namespace litemp::python {

namespace {

// "int8", "int16", "int4" ... "int16"; "float16"/"fp16".
Precision ParseQType(const std::string& name, const char* what) {
  if (name == "float16" || name == "fp16") return {QuantDType::kFloat16, 16};
  if (name.rfind("int", 0) == 0 && name.size() > 3 && name.find_first_not_of("0123456789", 3) == std::string::npos) {
    int bits = std::stoi(name.substr(3));
    if (bits >= 4 && bits <= 16) return {QuantDType::kInt, bits};
  }
  throw StatusError(Status::InvalidArgument(std::string(what) + ": unknown type '" + name +
                                            "' (expected int4 .. int16 or float16)"));
}

const char* RoleName(QuantizerRole r) {
  switch (r) {
    case QuantizerRole::kInput: return "input";
    case QuantizerRole::kParam: return "param";
    default: return "output";
  }
}

py::list SensitivityToPython(const std::vector<LayerSensitivity>& s) {
  py::list out;
  for (const auto& l : s) out.append(py::make_tuple(l.name, l.op_type, l.psnr));
  return out;
}

}  // namespace

class Sim {
 public:
  Sim(py::handle model, const std::string& param, const std::string& activation, const std::string& scheme,
      float percentile, const std::string& config, bool prepare, py::handle shapes) {
    QuantSimOptions o;
    o.param = ParseQType(param, "param_type");
    o.activation = ParseQType(activation, "activation_type");
    o.scheme = Take(ParseScheme(scheme));
    if (!(percentile > 50.f && percentile <= 100.f))
      throw StatusError(Status::InvalidArgument("percentile must be in (50, 100]"));
    o.percentile = percentile;
    o.config = config;
    model_ = LoadModel(model, prepare, shapes, &prepared_);
    py::gil_scoped_release nogil;
    sim_ = Take(QuantSim::Create(*model_, o));
  }

  py::list Run(py::handle output_names, py::handle feeds) {
    return RunFeeds(
        sim_->executor(), sim_->inputs(), mu_, output_names, feeds,
        [this]() -> RunOptions {
          if (calibrating_) return observe_;
          Check(sim_->SyncConstants());
          return sim_->SimOptions();
        },
        [this](const Batch& b) {
          if (calibrating_) CheckFinite(b, sim_->inputs());
        },
        [this]() -> SampleParallelRunner* {
          // Histogram statistics are per batch: those calibrations see whole batches.
          if (calibrating_ && !sim_->ObservationSplits()) return nullptr;
          using Policy = SampleParallelRunner::Policy;
          std::unique_ptr<SampleParallelRunner>& r = calibrating_ ? observe_runner_ : runner_;
          if (!r)
            r = std::make_unique<SampleParallelRunner>(sim_->executor(), sim_->inputs(),
                                                       calibrating_ ? Policy::kAutoObserving : Policy::kAuto);
          return r.get();
        });
  }

  void BeginCalibration() {
    Locked([&] {
      if (calibrating_) throw StatusError(Status::InvalidArgument("compute_encodings is already running on this sim"));
      CheckNotBusy();
      saved_.clear();
      for (const auto& q : sim_->quantizers()) saved_.push_back({q.encodings, q.frozen});
      Status s = sim_->BeginComputeEncodings(&observe_);
      if (!s.ok()) Restore();
      Check(s);
      calibrating_ = true;
    }, /*allow_busy=*/true);
  }

  // ok: turn the statistics into encodings; else (or if that fails) put back the encodings
  // from before.
  void EndCalibration(bool ok) {
    Locked([&] {
      if (!calibrating_) throw StatusError(Status::InvalidArgument("compute_encodings is not running on this sim"));
      calibrating_ = false;
      observe_ = RunOptions{};
      observe_runner_.reset();  // its executor copies are not needed until the next calibration
      Status s = ok ? sim_->EndComputeEncodings() : Status::OK();
      if (!ok || !s.ok()) Restore();
      Check(s);
    }, /*allow_busy=*/true);
  }

  py::list Analyze(py::handle samples, const std::string& output, bool naive, double memory_budget_mb,
                   py::object progress) {
    Batch batch = BatchFromPython(samples, sim_->inputs());
    CheckFinite(batch, sim_->inputs());
    SensitivityOptions o;
    o.naive = naive;
    o.output = output;
    o.quiet = true;
    if (!(memory_budget_mb > 0)) throw StatusError(Status::InvalidArgument("memory_budget_mb must be > 0"));
    o.memory_budget_bytes = static_cast<size_t>(std::min(memory_budget_mb, 1e12) * 1024 * 1024);
    return Sweep(std::move(progress), [&] { return AnalyzePerLayerSensitivity(*sim_, batch, o); });
  }

  // The sweep with a Python metric: `metric()` scores the sim as configured at the call.
  // mu_ is released while the metric runs, so it may run the session on any thread; the
  // sweep flag keeps everything but runs out meanwhile.
  py::list AnalyzeWithMetric(py::object metric, py::object progress) {
    std::optional<py::error_already_set> raised;
    std::unique_lock<std::recursive_mutex>* held = nullptr;
    SimMetric fn = [&](QuantSim&) -> Result<double> {
      held->unlock();
      Result<double> r = Status::Internal("eval_fn raised");
      {
        py::gil_scoped_acquire gil;
        try {
          r = metric().cast<double>();
        } catch (py::error_already_set& e) {
          raised.emplace(std::move(e));
        } catch (const py::cast_error&) {
          r = Status::InvalidArgument("eval_fn must return a number");
        }
      }
      held->lock();
      return r;
    };
    SensitivityOptions o;
    o.quiet = true;
    ProgressCallback cb(std::move(progress));
    Result<std::vector<LayerSensitivity>> r = Status::Internal("not run");
    {
      py::gil_scoped_release nogil;
      UseThreads();
      std::unique_lock<std::recursive_mutex> lock(mu_);
      held = &lock;
      CheckNotBusy();
      sweeping_ = true;
      r = AnalyzePerLayerSensitivity(*sim_, fn, o);
      sweeping_ = false;
    }
    if (raised) throw *raised;
    cb.RethrowIfFailed();
    return SensitivityToPython(Take(std::move(r)));
  }

  // `ranking`: [(layer name, score)] in ascending score order. Returns the flipped names.
  std::vector<std::string> Flip(py::handle ranking, std::optional<double> percent, std::optional<int> count,
                                std::optional<double> psnr_below, const std::string& precision) {
    std::vector<LayerSensitivity> sens;
    for (auto item : py::cast<py::sequence>(ranking)) {
      auto pair = py::cast<py::sequence>(item);
      LayerSensitivity l;
      l.name = py::str(pair[0]).cast<std::string>();
      l.psnr = pair[1].cast<double>();
      l.layer = LayerIndex(l.name);
      sens.push_back(std::move(l));
    }
    FlipSelection sel;
    if (percent) sel.percent = *percent;
    sel.count = count;
    sel.psnr_below = psnr_below;
    FlipTarget target = Take(ParseFlipTarget(precision));
    return Locked([&] {
      std::vector<int> flipped = Take(FlipLayersToHigherPrecision(*sim_, sens, sel, target));
      std::vector<std::string> names;
      for (int l : flipped) names.push_back(sim_->graph().nodes[l].name);
      return names;
    });
  }

  void FlipNamed(const std::vector<std::string>& layers, const std::string& precision) {
    std::vector<int> idx;
    for (const auto& n : layers) idx.push_back(LayerIndex(n));
    FlipTarget target = Take(ParseFlipTarget(precision));
    Locked([&] { FlipLayers(*sim_, idx, target); });
  }

  std::vector<std::tuple<std::string, std::string, std::string>> Layers() {
    return Locked([&] {
      std::vector<std::tuple<std::string, std::string, std::string>> out;
      for (int l : sim_->QuantizedLayers()) {
        const Node& n = sim_->graph().nodes[l];
        out.emplace_back(n.name, n.op_type, LayerPrecision(*sim_, l));
      }
      return out;
    }, /*allow_busy=*/true);
  }

  py::list Quantizers() {
    struct Info {
      const Quantizer* q;  // for the placement, which never changes
      std::vector<Encoding> encodings;
      bool enabled, frozen, symmetric, per_channel;
      QuantDType dtype;
      int bitwidth, axis;
    };
    std::vector<Info> infos = Locked([&] {
      std::vector<Info> v;
      for (const auto& q : sim_->quantizers())
        v.push_back({&q, q.encodings, q.enabled, q.frozen, q.spec.symmetric, q.per_channel, q.dtype, q.spec.bitwidth,
                     q.axis});
      return v;
    }, /*allow_busy=*/true);
    const Graph& g = sim_->graph();
    py::list out;
    for (const auto& i : infos) {
      const Quantizer& q = *i.q;
      py::dict d;
      d["tensor"] = g.values[q.value_id].name;
      d["layer"] = g.nodes[q.layer].name;
      d["role"] = RoleName(q.role);
      d["param_role"] = q.param_role;
      d["enabled"] = i.enabled;
      d["dtype"] = i.dtype == QuantDType::kFloat16 ? "float16" : "int";
      d["bitwidth"] = i.dtype == QuantDType::kFloat16 ? 16 : i.bitwidth;
      d["symmetric"] = i.symmetric;
      d["per_channel"] = i.per_channel;
      d["axis"] = i.per_channel ? py::object(py::int_(i.axis)) : py::object(py::none());
      d["frozen"] = i.frozen;
      py::list enc;
      for (const auto& e : i.encodings)
        enc.append(py::dict(py::arg("min") = e.min, py::arg("max") = e.max, py::arg("scale") = e.scale,
                            py::arg("offset") = e.offset, py::arg("bitwidth") = e.bitwidth));
      d["encodings"] = enc;
      out.append(d);
    }
    return out;
  }

  void Export(const std::string& dir, const std::string& prefix, const std::string& version) {
    Locked([&] { Check(ExportSim(*sim_, *model_, dir, prefix, version)); });
  }

  std::string EncodingsJsonText(const std::string& version) {
    return Locked([&] { return Take(EncodingsJson(*sim_, version)); });
  }

  void LoadEncodings(const std::string& path) {
    Locked([&] { Check(LoadEncodingsFile(*sim_, path)); });
  }

  py::list Inputs() const { return DescribeInputsPy(sim_->inputs()); }
  py::list Outputs() const { return DescribeOutputsPy(sim_->graph()); }
  std::vector<std::string> Prepared() const { return prepared_.actions; }

 private:
  struct Saved {
    std::vector<Encoding> encodings;
    bool frozen;
  };

  int LayerIndex(const std::string& name) const {
    const auto& nodes = sim_->graph().nodes;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].name == name) return static_cast<int>(i);
    throw StatusError(Status::InvalidArgument("no layer (node) named '" + name + "' in the model"));
  }
  // Runs `f` (C++ only: no Python objects) holding mu_, with the GIL released: whoever
  // holds mu_ may need the GIL (a metric or progress callback), so mu_ is never awaited
  // with the GIL held.
  template <class F> auto Locked(F&& f, bool allow_busy = false) -> decltype(f()) {
    py::gil_scoped_release nogil;
    UseThreads();
    std::lock_guard<std::recursive_mutex> lock(mu_);
    if (!allow_busy) CheckNotBusy();
    return f();
  }
  // Runs a sweep under Locked with `progress` installed; an exception the progress
  // callback raised comes out first, then the sweep's error.
  py::list Sweep(py::object progress, const std::function<Result<std::vector<LayerSensitivity>>()>& sweep) {
    ProgressCallback cb(std::move(progress));
    Result<std::vector<LayerSensitivity>> r = Locked(sweep);
    cb.RethrowIfFailed();
    return SensitivityToPython(Take(std::move(r)));
  }
  // Puts back the encodings saved when calibration began.
  void Restore() {
    auto& qs = sim_->quantizers();
    for (size_t i = 0; i < qs.size(); ++i) {
      qs[i].encodings = saved_[i].encodings;
      qs[i].frozen = saved_[i].frozen;
      qs[i].analyzer.reset();
    }
    Check(sim_->SyncConstants());
  }
  void CheckNotBusy() const {
    if (calibrating_) throw StatusError(Status::InvalidArgument("not allowed inside compute_encodings"));
    if (sweeping_) throw StatusError(Status::InvalidArgument("not allowed during a sensitivity sweep"));
  }

  std::unique_ptr<Model> model_;
  PrepareReport prepared_;
  std::unique_ptr<QuantSim> sim_;
  std::unique_ptr<SampleParallelRunner> runner_;  // made at the first run (it fixes the kernel set)
  std::unique_ptr<SampleParallelRunner> observe_runner_;  // the same, for calibration's runs
  std::recursive_mutex mu_;  // one user of the executor at a time; a metric sweep re-enters
  std::atomic<bool> calibrating_{false};
  std::atomic<bool> sweeping_{false};  // a metric sweep waits for Python: only runs may enter
  RunOptions observe_;
  std::vector<Saved> saved_;
};

void RegisterSim(py::module_& m) {
  py::class_<Sim>(m, "_Sim")
      .def(py::init<py::handle, const std::string&, const std::string&, const std::string&, float, const std::string&,
                    bool, py::handle>(),
           py::arg("model"), py::arg("param_type"), py::arg("activation_type"), py::arg("quant_scheme"),
           py::arg("percentile"), py::arg("config_file"), py::arg("prepare"), py::arg("shapes"))
      .def("run", &Sim::Run, py::arg("output_names"), py::arg("feeds"))
      .def("begin_calibration", &Sim::BeginCalibration)
      .def("end_calibration", &Sim::EndCalibration, py::arg("ok"))
      .def("analyze", &Sim::Analyze, py::arg("samples"), py::arg("output"), py::arg("naive"),
           py::arg("memory_budget_mb"), py::arg("progress"))
      .def("analyze_with_metric", &Sim::AnalyzeWithMetric, py::arg("metric"), py::arg("progress"))
      .def("flip", &Sim::Flip, py::arg("ranking"), py::arg("percent"), py::arg("count"), py::arg("psnr_below"),
           py::arg("precision"))
      .def("flip_named", &Sim::FlipNamed, py::arg("layers"), py::arg("precision"))
      .def("layers", &Sim::Layers)
      .def("quantizers", &Sim::Quantizers)
      .def("export", &Sim::Export, py::arg("dir"), py::arg("prefix"), py::arg("version"))
      .def("encodings_json", &Sim::EncodingsJsonText, py::arg("version"))
      .def("load_encodings", &Sim::LoadEncodings, py::arg("path"))
      .def("inputs", &Sim::Inputs)
      .def("outputs", &Sim::Outputs)
      .def("prepared", &Sim::Prepared);
}

}  // namespace litemp::python
