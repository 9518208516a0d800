// Embind glue for the diffusion topic's images (src/diffusion/images, issue 16): the shipped bundle (float16
// ε-model + classifier + the 8×8 digits), the classifier, the image metric and the Fréchet distance.
// Convert, call, guard. No maths here.
#include <cstdint>
#include <string>

#include "common.hpp"
#include "diffusion/images.hpp"

namespace d = probwasm::diffusion;
using emscripten::allow_raw_pointers;
using emscripten::val;
using probwasm::bind::from_f32;
using probwasm::bind::from_f64;
using probwasm::bind::from_i32;
using probwasm::bind::guarded;
using probwasm::bind::to_f32;
using probwasm::bind::to_f64;

namespace {

d::ImageBundle* make_bundle(const val& bytes) {
  return guarded([&] {
    const auto b = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
    return new d::ImageBundle(d::decode_bundle(b.data(), b.size(), "imageDenoiser"));
  });
}
val bundle_eps_shape(const d::ImageBundle& b) {
  val o = val::object();
  o.set("dim", b.eps_shape.dim);
  o.set("hidden", b.eps_shape.hidden);
  o.set("embed", b.eps_shape.embed);
  return o;
}
val bundle_eps_weights(const d::ImageBundle& b) { return from_f32(b.eps_weights); }
val bundle_images(const d::ImageBundle& b, bool held_out) {
  return guarded([&] {
    const auto x = d::digits_unit(b.digits, held_out);
    return from_f32(std::vector<float>(x.begin(), x.end()));
  });
}
val bundle_labels(const d::ImageBundle& b, bool held_out) {
  return guarded([&] {
    std::vector<int> labels;
    d::digits_unit(b.digits, held_out, &labels);
    return from_i32(labels);
  });
}
d::DigitClassifier* bundle_classifier(const d::ImageBundle& b) {
  return guarded([&] { return new d::DigitClassifier(b.clf_shape, b.clf_weights); });
}

int clf_feature_dim(const d::DigitClassifier& c) { return c.shape().h2; }
val clf_features(const d::DigitClassifier& c, const val& x) {
  return guarded([&] {
    const auto v = to_f64(x);
    if (v.size() % d::kDigitPixels != 0) probwasm::fail("imageClassifier.features", "x", "have 64 values per image", v.size());
    const auto f = c.features(v.data(), v.size() / d::kDigitPixels, "imageClassifier.features");
    return from_f32(f.data(), static_cast<std::size_t>(f.size()));  // column-major h2 × n = row-major n × h2
  });
}
val clf_probabilities(const d::DigitClassifier& c, const val& x) {
  return guarded([&] {
    const auto v = to_f64(x);
    if (v.size() % d::kDigitPixels != 0) probwasm::fail("imageClassifier.classify", "x", "have 64 values per image", v.size());
    const auto p = c.probabilities(v.data(), v.size() / d::kDigitPixels, "imageClassifier.classify");
    std::vector<double> out(p.data(), p.data() + p.size());
    return from_f64(out);
  });
}
val clf_quality(const d::DigitClassifier& c, const val& samples, const val& reference) {
  return guarded([&] {
    const auto q = d::image_quality(c, to_f64(samples), to_f64(reference));
    val o = val::object();
    o.set("fid", q.fid);
    o.set("histogram", from_f64(q.histogram));
    o.set("entropy", q.entropy);
    o.set("confidence", q.confidence);
    o.set("count", static_cast<double>(q.count));
    return o;
  });
}

double frechet(const val& a, const val& b, int dim) {
  return guarded([&] {
    if (dim < 1) probwasm::fail("frechetDistance", "dim", "be a positive integer", dim);
    return d::frechet_distance_of(to_f64(a), to_f64(b), static_cast<std::size_t>(dim), "frechetDistance");
  });
}

double rms(const val& a, const val& b) {
  return guarded([&] { return d::rms_difference(to_f64(a), to_f64(b), "imageRmse"); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(diffusion_images) {
  emscripten::class_<d::ImageBundle>("DiffusionImageBundle")
      .constructor(&make_bundle, allow_raw_pointers())
      .function("epsShape", &bundle_eps_shape)
      .function("epsWeights", &bundle_eps_weights)
      .function("images", &bundle_images)
      .function("labels", &bundle_labels)
      .function("classifier", &bundle_classifier, allow_raw_pointers());
  emscripten::class_<d::DigitClassifier>("DiffusionDigitClassifier")
      .function("featureDim", &clf_feature_dim)
      .function("features", &clf_features)
      .function("probabilities", &clf_probabilities)
      .function("quality", &clf_quality);
  emscripten::function("diffusionFrechetDistance", &frechet);
  emscripten::function("diffusionRmsDifference", &rms);
}
