#include "audio/renderer.h"

#include <sndfile.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <unistd.h>

namespace lyrebird::audio {

namespace {

constexpr int kBlockFrames = 4096;

std::string lowerExtension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// Pulls the whole piece out of a synth block by block; `sink` gets interleaved frames.
// Returns false when stopped.
template <typename Sink>
bool pullAll(Synth& synth, std::int64_t totalFrames, Sink&& sink, const std::function<void(double)>& progress,
             std::stop_token stop) {
  std::vector<float> left(kBlockFrames), right(kBlockFrames), interleaved(2 * kBlockFrames);
  auto lastReport = std::chrono::steady_clock::now();
  for (std::int64_t done = 0; done < totalFrames;) {
    if (stop.stop_requested()) return false;
    const int n = static_cast<int>(std::min<std::int64_t>(kBlockFrames, totalFrames - done));
    synth.render(left.data(), right.data(), n);
    for (int i = 0; i < n; ++i) {
      interleaved[static_cast<std::size_t>(2 * i)] = left[static_cast<std::size_t>(i)];
      interleaved[static_cast<std::size_t>(2 * i + 1)] = right[static_cast<std::size_t>(i)];
    }
    if (!sink(interleaved.data(), n)) return false;
    done += n;
    const auto now = std::chrono::steady_clock::now();
    if (progress && now - lastReport > std::chrono::milliseconds(50)) {
      progress(static_cast<double>(done) / static_cast<double>(totalFrames));
      lastReport = now;
    }
  }
  if (progress) progress(1.0);
  return true;
}

Result<std::unique_ptr<Synth>> prepare(const midi::Score& score, const RenderOptions& options, std::int64_t& frames) {
  if (!(options.tailSeconds >= 0.0 && options.tailSeconds <= 60.0)) {
    return Error{ErrorKind::InvalidArgument, {}, -1, "The release tail must be between 0 and 60 seconds."};
  }
  Result<std::unique_ptr<Synth>> synth = Synth::create(options.synth);
  if (!synth) return synth.error();
  (*synth)->setTimeline(midi::sequenceFromScore(score));
  frames = static_cast<std::int64_t>(
      std::ceil(((*synth)->lengthSeconds() + options.tailSeconds) * options.synth.sampleRate));
  return synth;
}

} // namespace

Result<FileFormat> formatFromPath(const std::filesystem::path& path) {
  const std::string ext = lowerExtension(path);
  if (ext == ".wav") return FileFormat::Wav;
  if (ext == ".flac") return FileFormat::Flac;
  if (ext == ".ogg" || ext == ".oga") return FileFormat::Ogg;
  return Error{ErrorKind::InvalidArgument, path.string(), -1,
               "Audio files are .wav, .flac or .ogg; \"" + path.extension().string() + "\" is none of them."};
}

Result<std::vector<float>> renderToMemory(const midi::Score& score, const RenderOptions& options) {
  std::int64_t frames = 0;
  Result<std::unique_ptr<Synth>> synth = prepare(score, options, frames);
  if (!synth) return synth.error();
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(2 * frames));
  pullAll(**synth, frames,
          [&](const float* data, int n) {
            out.insert(out.end(), data, data + 2 * n);
            return true;
          },
          {}, {});
  return out;
}

Result<RenderStats> renderToFile(const midi::Score& score, const std::filesystem::path& path,
                                 const RenderOptions& options, const std::function<void(double)>& progress,
                                 std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  const Result<FileFormat> format = formatFromPath(path);
  if (!format) return format.error();
  int sfFormat = 0;
  switch (*format) {
  case FileFormat::Wav:
    sfFormat = SF_FORMAT_WAV | (options.sampleFormat == SampleFormat::Float   ? SF_FORMAT_FLOAT
                                : options.sampleFormat == SampleFormat::Pcm24 ? SF_FORMAT_PCM_24
                                                                              : SF_FORMAT_PCM_16);
    break;
  case FileFormat::Flac:
    if (options.sampleFormat == SampleFormat::Float) {
      return Error{ErrorKind::InvalidArgument, path.string(), -1, "FLAC holds 16- or 24-bit samples, not float."};
    }
    sfFormat = SF_FORMAT_FLAC | (options.sampleFormat == SampleFormat::Pcm24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
    break;
  case FileFormat::Ogg: sfFormat = SF_FORMAT_OGG | SF_FORMAT_VORBIS; break;
  }
  std::int64_t frames = 0;
  Result<std::unique_ptr<Synth>> synth = prepare(score, options, frames);
  if (!synth) return synth.error();

  // Same folder as the target, so the final rename cannot cross file systems.
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::filesystem::path temporary =
      folder / ("." + path.filename().string() + ".part-" + std::to_string(::getpid()));
  SF_INFO info{};
  info.samplerate = static_cast<int>(std::lround(options.synth.sampleRate));
  info.channels = 2;
  info.format = sfFormat;
  if (!sf_format_check(&info)) {
    return Error{ErrorKind::InvalidArgument, path.string(), -1, "This sample rate and format cannot be combined."};
  }
  SNDFILE* file = sf_open(temporary.c_str(), SFM_WRITE, &info);
  if (!file) {
    return Error{ErrorKind::Io, path.string(), -1,
                 std::string("The audio file cannot be written here: ") + sf_strerror(nullptr)};
  }
  sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE); // clip, never wrap around, if a piece is too loud
  if (*format == FileFormat::Ogg) {
    double quality = 0.6;
    sf_command(file, SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof quality);
  }
  RenderStats stats;
  std::string writeError;
  const bool finished = pullAll(
      **synth, frames,
      [&](const float* data, int n) {
        for (int i = 0; i < 2 * n; ++i)
          stats.peak = std::max(stats.peak, std::abs(data[i]));
        if (sf_writef_float(file, data, n) != n) {
          writeError = sf_strerror(file);
          return false;
        }
        return true;
      },
      progress, stop);
  const int closeStatus = sf_close(file);
  std::error_code ec;
  if (!finished || closeStatus != 0) {
    std::filesystem::remove(temporary, ec);
    if (!writeError.empty() || closeStatus != 0) {
      return Error{ErrorKind::Io, path.string(), -1,
                   "Writing the audio failed (disk full?): " +
                       (writeError.empty() ? std::string("close failed") : writeError)};
    }
    return Error{ErrorKind::Cancelled, path.string(), -1, "The render was cancelled; no file was written."};
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return Error{ErrorKind::Io, path.string(), -1, "The finished audio could not be moved into place: " + ec.message()};
  }
  stats.frames = frames;
  stats.seconds = static_cast<double>(frames) / options.synth.sampleRate;
  stats.renderSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

} // namespace lyrebird::audio
