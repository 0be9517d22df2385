#include "midiio/midimessages.h"

#include "midi/sequence.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>

namespace lyrebird::midiio {

std::vector<TimedMessage> messagesFromScore(const midi::Score& score) {
  std::vector<TimedMessage> out;
  for (const midi::TimedEvent& e : midi::sequenceFromScore(score)) {
    const auto ch = static_cast<std::uint8_t>(e.channel & 0x0f);
    switch (e.kind) {
    case midi::TimedEvent::Kind::NoteOn:
      out.push_back(
          {e.seconds,
           {static_cast<std::uint8_t>(0x90 | ch), e.key, static_cast<std::uint8_t>(std::clamp<int>(e.value, 1, 127))}});
      break;
    case midi::TimedEvent::Kind::NoteOff:
      out.push_back({e.seconds, {static_cast<std::uint8_t>(0x80 | ch), e.key, 0}});
      break;
    case midi::TimedEvent::Kind::Program:
      out.push_back({e.seconds, {static_cast<std::uint8_t>(0xC0 | ch), e.key}});
      break;
    case midi::TimedEvent::Kind::Control:
      out.push_back(
          {e.seconds,
           {static_cast<std::uint8_t>(0xB0 | ch), e.key, static_cast<std::uint8_t>(std::clamp<int>(e.value, 0, 127))}});
      break;
    case midi::TimedEvent::Kind::PitchBend: {
      const int v = std::clamp(e.value + 8192, 0, 16383);
      out.push_back({e.seconds,
                     {static_cast<std::uint8_t>(0xE0 | ch), static_cast<std::uint8_t>(v & 0x7f),
                      static_cast<std::uint8_t>(v >> 7)}});
      break;
    }
    }
  }
  return out;
}

midi::Score scoreFromMessages(const std::vector<TimedMessage>& messages, const RecordOptions& options) {
  midi::Score score;
  score.ticksPerQuarter = 480;
  const double bpm = options.tempoBpm > 0 ? options.tempoBpm : 120.0;
  score.tempos = {{0, static_cast<std::uint32_t>(std::llround(60'000'000.0 / bpm))}};
  const double ticksPerSecond = 480.0 * bpm / 60.0;
  double origin = 0.0;
  if (options.startAtFirstNote) {
    for (const TimedMessage& m : messages) {
      if (m.bytes.size() >= 3 && (m.bytes[0] & 0xF0) == 0x90 && m.bytes[2] > 0) {
        origin = m.seconds;
        break;
      }
    }
  }
  const std::int64_t grid =
      options.quantizeDivision > 0 ? std::max<std::int64_t>(1, 480 / options.quantizeDivision) : 1;
  auto ticks = [&](double seconds) {
    const auto t = static_cast<std::int64_t>(std::llround(std::max(0.0, seconds - origin) * ticksPerSecond));
    return (t + grid / 2) / grid * grid;
  };
  midi::Track track;
  track.name = "Recording";
  std::map<int, std::deque<std::size_t>> held; // key -> indices of sounding notes, oldest first
  std::int64_t last = 0;
  for (const TimedMessage& m : messages) {
    if (m.bytes.empty()) continue;
    const int status = m.bytes[0] & 0xF0;
    const std::int64_t t = ticks(m.seconds);
    last = std::max(last, t);
    const bool noteOn = status == 0x90 && m.bytes.size() >= 3 && m.bytes[2] > 0;
    const bool noteOff = (status == 0x80 || status == 0x90) && m.bytes.size() >= 3 && !noteOn;
    if (noteOn) {
      held[m.bytes[1]].push_back(track.notes.size());
      track.notes.push_back(
          {t, 0, static_cast<std::uint8_t>(m.bytes[1] & 0x7f), static_cast<std::uint8_t>(m.bytes[2] & 0x7f)});
    } else if (noteOff) {
      auto it = held.find(m.bytes[1]);
      if (it != held.end() && !it->second.empty()) {
        midi::Note& note = track.notes[it->second.front()];
        it->second.pop_front();
        // A quantized note keeps at least one grid step.
        note.durationTicks = std::max(t - note.startTicks, options.quantizeDivision > 0 ? grid : std::int64_t{0});
      }
    } else if (status == 0xB0 && m.bytes.size() >= 3) {
      track.controls.push_back(
          {t, static_cast<std::uint8_t>(m.bytes[1] & 0x7f), static_cast<std::uint8_t>(m.bytes[2] & 0x7f)});
    } else if (status == 0xE0 && m.bytes.size() >= 3) {
      track.pitchBends.push_back(
          {t, static_cast<std::int16_t>(((m.bytes[2] & 0x7f) << 7 | (m.bytes[1] & 0x7f)) - 8192)});
    }
  }
  for (auto& [key, indices] : held) {
    for (std::size_t i : indices)
      track.notes[i].durationTicks = std::max<std::int64_t>(0, last - track.notes[i].startTicks);
  }
  std::stable_sort(track.notes.begin(), track.notes.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  if (!track.notes.empty() || !track.controls.empty()) score.tracks.push_back(std::move(track));
  return score;
}

} // namespace lyrebird::midiio
