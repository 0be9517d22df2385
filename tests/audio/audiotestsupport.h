#pragma once

#include "audio/soundfont.h"
#include "audio/synth.h"
#include "midi/score.h"

#include <QtTest>

#include <cmath>
#include <span>

namespace lyrebird::test {

/// The SoundFont the sound tests use: Debian's timgm6mb-soundfont (installed by
/// packaging/install-deps.sh), so every machine renders the same reference.
inline const std::filesystem::path kTestSoundFont = "/usr/share/sounds/sf2/TimGM6mb.sf2";

#define LYREBIRD_REQUIRE_SOUNDFONT()                                                                                   \
  do {                                                                                                                 \
    if (!lyrebird::audio::checkSoundFont(lyrebird::test::kTestSoundFont))                                              \
      QSKIP("TimGM6mb.sf2 is not installed (packaging/install-deps.sh installs timgm6mb-soundfont)");                  \
  } while (false)

inline audio::SynthSettings testSynth(double sampleRate = 22050.0) {
  audio::SynthSettings s;
  s.soundFont = kTestSoundFont;
  s.sampleRate = sampleRate;
  return s;
}

/// A small fixed piece: a piano melody over a string chord, a sustain pedal, a rest, a
/// pitch bend. Starts after 0.25 s of silence; 120 BPM.
inline midi::Score goldenScore() {
  midi::Score score;
  score.tempos = {{0, 500000}};
  midi::Track piano;
  piano.name = "Piano";
  piano.program = 0;
  const int melody[] = {60, 64, 67, 72, 67, 64};
  for (int i = 0; i < 6; ++i)
    piano.notes.push_back({240 + i * 240, 200, static_cast<std::uint8_t>(melody[i]), 100});
  piano.controls = {{240, 64, 127}, {1200, 64, 0}};
  midi::Track strings;
  strings.name = "Strings";
  strings.channel = 1;
  strings.program = 48;
  for (int p : {48, 55, 64})
    strings.notes.push_back({240, 1200, static_cast<std::uint8_t>(p), 70});
  strings.pitchBends = {{960, 1024}};
  score.tracks = {piano, strings};
  return score;
}

/// Root mean square of one channel of interleaved stereo samples, over [from, to) frames.
inline double rms(std::span<const float> interleaved, std::size_t from, std::size_t to, int channel = 0) {
  double sum = 0.0;
  to = std::min(to, interleaved.size() / 2);
  for (std::size_t i = from; i < to; ++i) {
    const double x = interleaved[2 * i + static_cast<std::size_t>(channel)];
    sum += x * x;
  }
  return to > from ? std::sqrt(sum / static_cast<double>(to - from)) : 0.0;
}

} // namespace lyrebird::test
