#pragma once

#include "audio/synth.h"
#include "base/result.h"
#include "midi/score.h"

#include <filesystem>
#include <functional>
#include <stop_token>
#include <vector>

namespace lyrebird::audio {

enum class FileFormat { Wav, Flac, Ogg };
enum class SampleFormat { Pcm16, Pcm24, Float }; ///< Float: WAV only; FLAC takes 16/24-bit; OGG ignores it

struct RenderOptions {
  SynthSettings synth; ///< a separate synth from live playback's
  SampleFormat sampleFormat = SampleFormat::Pcm16;
  double tailSeconds = 2.0; ///< after the last event: releases and reverb ring out
};

/// What a render produced.
struct RenderStats {
  std::int64_t frames = 0;
  double seconds = 0.0;       ///< audio length
  double renderSeconds = 0.0; ///< wall time it took
  float peak = 0.0f;          ///< largest absolute sample before conversion (1.0 = full scale)
};

/// The format a file name asks for (.wav, .flac, .ogg/.oga, any case); an Error otherwise.
Result<FileFormat> formatFromPath(const std::filesystem::path& path);

/// Renders `score` to interleaved stereo float samples: exactly
/// ceil((last event + tail) x sample rate) frames. For tests and previews.
Result<std::vector<float>> renderToMemory(const midi::Score& score, const RenderOptions& options);

/// Renders `score` to `path` (format from the extension) through a temporary file in the
/// same folder that is renamed into place at the end, so a failed or cancelled render
/// leaves nothing behind. `progress` gets 0..1 on the calling thread about 20 times a
/// second; a stop request cancels with ErrorKind::Cancelled.
Result<RenderStats> renderToFile(const midi::Score& score, const std::filesystem::path& path,
                                 const RenderOptions& options, const std::function<void(double)>& progress = {},
                                 std::stop_token stop = {});

} // namespace lyrebird::audio
