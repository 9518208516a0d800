// Trains the <pw-images> models natively (issue 16): the ε-model (MlpDenoiser, dim 64, DDPM loss, Adam) and
// the digit classifier on the training split of build/data/digits.csv, then writes the float16 bundle that
// dist/assets/diffusion/ ships. Single-threaded and seeded: the same inputs give the same bytes.
// Usage: train_images <digits.csv> <out.bin> [eps_iterations=40000] [clf_iterations=4000] [seed=1] [hidden=256]
// Prints one JSON object per line: loss checkpoints, then a summary.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "diffusion/fused_mlp.hpp"
#include "diffusion/images.hpp"
#include "diffusion/sampling.hpp"
#include "diffusion/schedulers.hpp"

namespace d = probwasm::diffusion;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <digits.csv> <out.bin> [eps_iterations] [clf_iterations] [seed] [hidden]\n", argv[0]);
    return 2;
  }
  const int eps_iters = argc > 3 ? std::atoi(argv[3]) : 40000;
  const int clf_iters = argc > 4 ? std::atoi(argv[4]) : 4000;
  const std::uint64_t seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
  const int hidden = argc > 6 ? std::atoi(argv[6]) : 256;
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) { std::fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  std::stringstream ss;
  ss << in.rdbuf();
  d::ImageBundle b;
  b.digits = d::parse_digits_csv(ss.str());
  std::vector<int> labels;
  const std::vector<double> train = d::digits_unit(b.digits, false, &labels);
  const auto t0 = std::chrono::steady_clock::now();
  auto secs = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };

  // ε-model: DDPM's default schedule (linear β 1e-4 … 0.02, T = 1000), the one DDIMScheduler({}) builds.
  d::SchedulerConfig cfg;
  const auto betas = d::make_betas(cfg);
  std::vector<float> alphas(betas.size());
  for (std::size_t i = 0; i < betas.size(); ++i) alphas[i] = 1.0f - betas[i];
  const auto ac32 = d::cumprod_f32(alphas);
  std::vector<double> ac(ac32.begin(), ac32.end());
  b.eps_shape.dim = d::kDigitPixels;
  b.eps_shape.hidden = hidden;
  b.eps_shape.embed = 32;
  d::MlpDenoiser eps(b.eps_shape, seed);
  const int chunk = 500;
  // lr 1e-3 for the first 3/4 of the run, then 2.5e-4 (a step decay: a lower final loss, same cost).
  const int decay_at = eps_iters - eps_iters / 4;
  eps.set_training(train, ac, 256, 1e-3, seed + 1);
  for (int done = 0; done < eps_iters;) {
    int n = std::min(chunk, eps_iters - done);
    if (done < decay_at) n = std::min(n, decay_at - done);
    if (done == decay_at && decay_at > 0) {
      // A fresh Adam at the lower rate, continuing the same minibatch stream's seed family.
      eps.set_training(train, ac, 256, 2.5e-4, seed + 3);
    }
    const double loss = eps.train(n);
    done += n;
    std::printf("{\"model\":\"eps\",\"iteration\":%d,\"loss\":%.6f,\"seconds\":%.2f}\n", done, loss, secs());
    std::fflush(stdout);
  }
  b.eps_weights = eps.weights();
  const double eps_secs = secs();

  d::DigitClassifier clf(b.clf_shape, seed + 2);
  clf.set_training(train, labels, 128, 2e-3, seed + 4);
  for (int done = 0; done < clf_iters;) {
    const int n = std::min(chunk, clf_iters - done);
    const double loss = clf.train(n);
    done += n;
    std::printf("{\"model\":\"classifier\",\"iteration\":%d,\"loss\":%.6f,\"seconds\":%.2f}\n", done, loss, secs());
    std::fflush(stdout);
  }
  b.clf_weights = clf.weights();
  // Held-out accuracy of the stored (float16) classifier.
  std::vector<int> held_labels;
  const std::vector<double> held = d::digits_unit(b.digits, true, &held_labels);
  const d::DigitClassifier stored(b.clf_shape, d::round_to_half(b.clf_weights));
  const auto p = stored.probabilities(held.data(), held_labels.size(), "train_images");
  int right = 0;
  for (Eigen::Index k = 0; k < p.cols(); ++k) {
    Eigen::Index arg;
    p.col(k).maxCoeff(&arg);
    right += arg == held_labels[static_cast<std::size_t>(k)];
  }
  // What float16 storage costs: 500 samples (DDIM η = 0, 20 steps, clip_sample as the page runs it) from the
  // float32 weights and from the stored float16 ones, same seed: their largest pixel difference and both
  // Fréchet distances to the held-out digits (scored by the stored classifier).
  d::SchedulerConfig sc;
  d::DDIMScheduler ddim(sc);
  ddim.set_timesteps(20);
  d::SampleOptions so;
  so.seed = 7;
  d::apply_config(sc, so);
  const auto s32 = d::FusedMlp(b.eps_shape, b.eps_weights).sample_ddim(d::schedule_for(ddim), so, 500);
  const auto s16 = d::FusedMlp(b.eps_shape, d::round_to_half(b.eps_weights)).sample_ddim(d::schedule_for(ddim), so, 500);
  double maxdiff = 0;
  for (std::size_t k = 0; k < s32.size(); ++k) maxdiff = std::max(maxdiff, static_cast<double>(std::fabs(s32[k] - s16[k])));
  const auto q32 = d::image_quality(stored, std::vector<double>(s32.begin(), s32.end()), held);
  const auto q16 = d::image_quality(stored, std::vector<double>(s16.begin(), s16.end()), held);
  std::printf("{\"float16Check\":true,\"maxPixelDiff\":%.6f,\"fid32\":%.4f,\"fid16\":%.4f,\"entropy32\":%.4f,\"entropy16\":%.4f}\n",
              maxdiff, q32.fid, q16.fid, q32.entropy, q16.entropy);
  const auto bytes = d::encode_bundle(b);
  std::ofstream out(argv[2], std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) { std::fprintf(stderr, "cannot write %s\n", argv[2]); return 1; }
  std::printf("{\"summary\":true,\"epsSeconds\":%.2f,\"seconds\":%.2f,\"heldOutAccuracy\":%.4f,\"heldOut\":%zu,\"train\":%zu,\"bytes\":%zu}\n",
              eps_secs, secs(), static_cast<double>(right) / held_labels.size(), held_labels.size(), labels.size(), bytes.size());
  return 0;
}
