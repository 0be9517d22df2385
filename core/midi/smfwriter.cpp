#include "midi/smfwriter.h"

#include "base/atomicfile.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace lyrebird::midi {

namespace {

class ByteWriter {
public:
  void u8(std::uint8_t v) { m_bytes.push_back(v); }
  void be16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v >> 8));
    u8(static_cast<std::uint8_t>(v));
  }
  void be32(std::uint32_t v) {
    be16(static_cast<std::uint16_t>(v >> 16));
    be16(static_cast<std::uint16_t>(v));
  }
  void tag(const char* t) { m_bytes.insert(m_bytes.end(), t, t + 4); }
  void vlq(std::uint32_t v) {
    std::uint8_t buffer[4];
    int n = 0;
    buffer[n++] = static_cast<std::uint8_t>(v & 0x7F);
    while ((v >>= 7) != 0 && n < 4) {
      buffer[n++] = static_cast<std::uint8_t>(0x80 | (v & 0x7F));
    }
    while (n > 0) {
      u8(buffer[--n]);
    }
  }
  void append(const std::vector<std::uint8_t>& other) { m_bytes.insert(m_bytes.end(), other.begin(), other.end()); }
  std::vector<std::uint8_t>& bytes() { return m_bytes; }
  std::size_t size() const { return m_bytes.size(); }

private:
  std::vector<std::uint8_t> m_bytes;
};

/// One event of a track being written; `order` decides among events at the same tick.
struct Event {
  std::int64_t ticks;
  int order;              // 0 meta, 1 program, 2 note-off, 3 controller/bend, 4 note-on, 5 zero-length note-off
  std::uint32_t sequence; // keeps insertion order among equal (ticks, order)
  std::uint8_t status;    // channel status byte, or 0xFF for meta
  std::uint8_t data1;
  std::uint8_t data2;
  std::string meta; // payload for meta events (type in data1)
};

// The largest delta time a variable-length quantity can hold.
constexpr std::int64_t kMaxDelta = 0x0FFFFFFF;

void writeTrackChunk(ByteWriter& out, std::vector<Event>& events) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.ticks != b.ticks) return a.ticks < b.ticks;
    if (a.order != b.order) return a.order < b.order;
    return a.sequence < b.sequence;
  });
  ByteWriter body;
  std::int64_t now = 0;
  std::uint8_t running = 0;
  auto advanceTo = [&](std::int64_t ticks) {
    std::int64_t delta = std::max<std::int64_t>(0, ticks - now);
    // Deltas beyond the VLQ range are split with empty text events (never happens in music).
    while (delta > kMaxDelta) {
      body.vlq(static_cast<std::uint32_t>(kMaxDelta));
      body.u8(0xFF);
      body.u8(0x01);
      body.u8(0x00);
      delta -= kMaxDelta;
      running = 0;
    }
    body.vlq(static_cast<std::uint32_t>(delta));
    now = std::max(now, ticks);
  };
  for (const Event& e : events) {
    advanceTo(e.ticks);
    if (e.status == 0xFF) {
      body.u8(0xFF);
      body.u8(e.data1);
      body.vlq(static_cast<std::uint32_t>(e.meta.size()));
      for (char c : e.meta)
        body.u8(static_cast<std::uint8_t>(c));
      running = 0;
      continue;
    }
    if (e.status != running) {
      body.u8(e.status);
      running = e.status;
    }
    body.u8(e.data1);
    const std::uint8_t kind = e.status & 0xF0;
    if (kind != 0xC0 && kind != 0xD0) {
      body.u8(e.data2);
    }
  }
  body.vlq(0);
  body.u8(0xFF);
  body.u8(0x2F);
  body.u8(0x00);
  out.tag("MTrk");
  out.be32(static_cast<std::uint32_t>(body.size()));
  out.append(body.bytes());
}

Event metaEvent(std::int64_t ticks, std::uint8_t type, std::string payload, std::uint32_t sequence) {
  return Event{ticks, 0, sequence, 0xFF, type, 0, std::move(payload)};
}

std::uint8_t clamp7(int v) {
  return static_cast<std::uint8_t>(std::clamp(v, 0, 127));
}

} // namespace

std::vector<std::uint8_t> writeSmf(const Score& score) {
  ByteWriter out;
  out.tag("MThd");
  out.be32(6);
  out.be16(1);
  out.be16(static_cast<std::uint16_t>(std::min<std::size_t>(score.tracks.size() + 1, 0xFFFF)));
  out.be16(static_cast<std::uint16_t>(std::clamp(score.ticksPerQuarter, 1, 0x7FFF)));

  // Conductor track.
  std::vector<Event> conductor;
  std::uint32_t sequence = 0;
  if (!score.title.empty()) conductor.push_back(metaEvent(0, 0x03, score.title, sequence++));
  if (!score.copyright.empty()) conductor.push_back(metaEvent(0, 0x02, score.copyright, sequence++));
  for (const TimeSignature& ts : score.timeSignatures) {
    int power = 0;
    while ((1 << power) < ts.denominator && power < 6)
      ++power;
    conductor.push_back(metaEvent(
        ts.ticks, 0x58, std::string{static_cast<char>(ts.numerator), static_cast<char>(power), 24, 8}, sequence++));
  }
  for (const KeySignature& ks : score.keySignatures) {
    conductor.push_back(metaEvent(
        ks.ticks, 0x59, std::string{static_cast<char>(ks.sharps), static_cast<char>(ks.minor ? 1 : 0)}, sequence++));
  }
  for (const TempoChange& tc : score.tempos) {
    const std::uint32_t us = std::clamp<std::uint32_t>(tc.microsecondsPerQuarter, 1, 0xFFFFFF);
    conductor.push_back(metaEvent(
        tc.ticks, 0x51,
        std::string{static_cast<char>(us >> 16), static_cast<char>((us >> 8) & 0xFF), static_cast<char>(us & 0xFF)},
        sequence++));
  }
  writeTrackChunk(out, conductor);

  for (const Track& track : score.tracks) {
    std::vector<Event> events;
    events.reserve(track.notes.size() * 2 + track.controls.size() + track.pitchBends.size() + 2);
    sequence = 0;
    const std::uint8_t channel = track.channel & 0x0F;
    if (!track.name.empty()) events.push_back(metaEvent(0, 0x03, track.name, sequence++));
    events.push_back(Event{0, 1, sequence++, static_cast<std::uint8_t>(0xC0 | channel), clamp7(track.program), 0, {}});
    for (const ControlChange& cc : track.controls) {
      events.push_back(Event{cc.ticks,
                             3,
                             sequence++,
                             static_cast<std::uint8_t>(0xB0 | channel),
                             clamp7(cc.controller),
                             clamp7(cc.value),
                             {}});
    }
    for (const PitchBend& pb : track.pitchBends) {
      const int raw = std::clamp(pb.value + 8192, 0, 16383);
      events.push_back(Event{pb.ticks,
                             3,
                             sequence++,
                             static_cast<std::uint8_t>(0xE0 | channel),
                             static_cast<std::uint8_t>(raw & 0x7F),
                             static_cast<std::uint8_t>(raw >> 7),
                             {}});
    }
    const auto noteOn = static_cast<std::uint8_t>(0x90 | channel);
    for (const Note& note : track.notes) {
      const std::uint8_t pitch = clamp7(note.pitch);
      events.push_back(Event{note.startTicks,
                             4,
                             sequence++,
                             noteOn,
                             pitch,
                             static_cast<std::uint8_t>(std::clamp<int>(note.velocity, 1, 127)),
                             {}});
      // A release is a note-on with velocity 0, so running status covers whole passages.
      const int offOrder = note.durationTicks > 0 ? 2 : 5;
      events.push_back(Event{note.endTicks(), offOrder, sequence++, noteOn, pitch, 0, {}});
    }
    writeTrackChunk(out, events);
  }
  return std::move(out.bytes());
}

Status writeSmfFile(const Score& score, const std::filesystem::path& path) {
  return writeFileAtomically(path, writeSmf(score));
}

} // namespace lyrebird::midi
