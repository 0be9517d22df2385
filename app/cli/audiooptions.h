#pragma once

#include "audio/renderer.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QTextStream>

#include <optional>

namespace lyrebird::cli {

/// The sound flags render, play and generate share: --soundfont, --sample-rate, --gain,
/// --bits, --no-reverb, --no-chorus.
struct AudioOptions {
  QCommandLineOption soundFont, sampleRate, gain, bits, noReverb, noChorus;
};

AudioOptions addAudioOptions(QCommandLineParser& parser);

/// The render settings the flags ask for, with the SoundFont found (bundled folder next to
/// the program, then the system's); prints the reason and returns nothing when unusable.
std::optional<audio::RenderOptions> readAudioOptions(const QCommandLineParser& parser, const AudioOptions& options,
                                                     const QString& command, QTextStream& err);

} // namespace lyrebird::cli
