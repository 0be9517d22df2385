#include "midi/smfreader.h"

#include "midi/text.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

namespace lyrebird::midi {

namespace {

constexpr std::uint8_t kDrumChannel = 9;

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint16_t be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t le32(const std::uint8_t* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}
bool hasTag(const std::uint8_t* p, const char* tag) {
  return std::memcmp(p, tag, 4) == 0;
}

bool isPrintableTag(const std::uint8_t* p) {
  return std::all_of(p, p + 4, [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; });
}

std::string plural(std::uint64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// A program change, remembered so each track can take the instrument in force at its first note.
struct ProgramChange {
  std::int64_t ticks;
  std::uint8_t channel;
  std::uint8_t program;
};

/// What one MTrk chunk produced, before it is split into Score tracks by channel.
struct RawTrack {
  std::string name;
  std::string instrument;
  struct ChannelData {
    std::vector<Note> notes;
    std::vector<ControlChange> controls;
    std::vector<PitchBend> pitchBends;
  };
  std::array<ChannelData, 16> channels;
  std::vector<ProgramChange> programs;
  std::int64_t endTicks = 0;
};

class Parser {
public:
  Parser(std::span<const std::uint8_t> bytes, std::string_view path) : m_bytes(bytes), m_path(path) {}

  Result<SmfFile> run();

private:
  Error error(ErrorKind kind, std::size_t offset, std::string message) const {
    return Error{kind, m_path, static_cast<std::int64_t>(offset + m_baseOffset), std::move(message)};
  }
  void warn(ErrorKind kind, std::size_t offset, std::string message) {
    m_file.warnings.push_back(error(kind, offset, std::move(message)));
  }

  std::optional<Error> unwrapRiff();
  std::optional<Error> readHeader(std::size_t& headerEnd);
  /// Parses one MTrk body [begin, end). Returns an Error only for unreadable data.
  std::optional<Error> readTrack(std::size_t begin, std::size_t end, bool clipped, int index, RawTrack& track);
  /// A note that is sounding in the track being read: its channel, pitch and index into that
  /// channel's notes.
  struct OpenNote {
    std::uint8_t channel;
    std::uint8_t pitch;
    std::uint32_t index;
  };
  /// A track being read: its bytes [pos, end), the time reached, the running status and the
  /// notes still sounding (oldest first).
  struct TrackCursor {
    const std::uint8_t* data;
    std::size_t pos;
    std::size_t end;
    std::int64_t tick;
    bool clipped;      // the chunk runs past the end of the file (run() reported that once)
    std::string label; // "Track 3", for messages
    std::uint8_t runningStatus = 0;
    bool warnedIllegal = false;
    std::vector<OpenNote> open;
    /// A variable-length number: true when read, false when the data ran out, nullopt when it
    /// is longer than the 4 bytes MIDI allows.
    std::optional<bool> readVlq(std::uint32_t& value);
  };
  /// What reading one event did: go on, stop the track here (its end, or an event cut short),
  /// or fail (the error is in `failure`).
  enum class Step { Next, Stop, Fail };
  /// An event cut short by the chunk's own length: a warning (unless the chunk itself was cut),
  /// and the track ends there.
  Step truncated(const TrackCursor& c, std::size_t at);
  Step readChannelEvent(TrackCursor& c, std::uint8_t status, RawTrack& track, std::size_t eventStart,
                        std::optional<Error>& failure);
  /// A meta or system-exclusive event's length and bytes (`what` names it in the error).
  Step readPayload(TrackCursor& c, std::size_t eventStart, const char* what, std::span<const std::uint8_t>& payload,
                   std::optional<Error>& failure);
  Step readMetaEvent(TrackCursor& c, RawTrack& track, std::size_t eventStart, std::optional<Error>& failure);
  Step skipSysex(TrackCursor& c, std::size_t eventStart, std::optional<Error>& failure);
  /// F1..FE other than FF, live-only messages: skipped with their data bytes, said once a track.
  void skipLiveMessage(TrackCursor& c, std::uint8_t status, std::size_t eventStart);
  /// Keeps what a channel message at `tick` says: a note starts or ends (`open`: the sounding
  /// notes, oldest first), a controller, a program, a pitch bend.
  static void keepChannelMessage(std::uint8_t status, std::uint8_t d1, std::uint8_t d2, std::int64_t tick,
                                 RawTrack& track, std::vector<OpenNote>& open);
  /// Keeps what a meta event of `type` at `tick` says; true for the end of the track.
  bool keepMetaEvent(std::uint8_t type, std::span<const std::uint8_t> payload, std::int64_t tick, RawTrack& track);
  void buildScore(std::vector<RawTrack>& rawTracks);

  std::span<const std::uint8_t> m_bytes;
  std::string m_path;
  std::size_t m_baseOffset = 0; // where m_bytes starts in the file (non-zero inside RIFF)
  SmfFile m_file;
  std::int64_t m_trackOffsetTicks = 0; // format 2: where the current pattern starts
  bool m_titleSet = false;
};

std::optional<Error> Parser::unwrapRiff() {
  // RIFF RMID: "RIFF" <le32 size> "RMID", then sub-chunks; the SMF is inside "data".
  if (m_bytes.size() < 12 || !hasTag(m_bytes.data(), "RIFF")) {
    return std::nullopt;
  }
  if (!hasTag(m_bytes.data() + 8, "RMID")) {
    return error(ErrorKind::NotMidi, 8, "This is a RIFF file but not RIFF MIDI (RMID), so it holds no MIDI music.");
  }
  std::size_t pos = 12;
  while (m_bytes.size() - pos >= 8) {
    const std::uint32_t length = le32(m_bytes.data() + pos + 4);
    if (hasTag(m_bytes.data() + pos, "data")) {
      const std::size_t begin = pos + 8;
      const std::size_t available = m_bytes.size() - begin;
      m_bytes = m_bytes.subspan(begin, std::min<std::size_t>(length, available));
      m_baseOffset = begin;
      return std::nullopt;
    }
    const std::size_t advance = 8 + std::size_t{length} + (length & 1u); // RIFF chunks are word aligned
    if (advance > m_bytes.size() - pos) {
      break;
    }
    pos += advance;
  }
  return error(ErrorKind::NotMidi, 12, "This RIFF MIDI (RMID) file has no 'data' chunk with the music in it.");
}

std::optional<Error> Parser::readHeader(std::size_t& headerEnd) {
  if (m_bytes.empty()) {
    return error(ErrorKind::NotMidi, 0, "The file is empty.");
  }
  if (m_bytes.size() < 4 || !hasTag(m_bytes.data(), "MThd")) {
    return error(ErrorKind::NotMidi, 0, "This is not a MIDI file: it does not start with the MIDI header 'MThd'.");
  }
  if (m_bytes.size() < 14) {
    return error(ErrorKind::Truncated, m_bytes.size(),
                 "The file ends inside its MIDI header; it was probably cut off while being copied or downloaded.");
  }
  const std::uint32_t headerLength = be32(m_bytes.data() + 4);
  if (headerLength < 6) {
    return error(ErrorKind::BadHeader, 4,
                 "The MIDI header says it is " + plural(headerLength, "byte") + " long; it must be at least 6.");
  }
  if (headerLength > m_bytes.size() - 8) {
    return error(ErrorKind::BadHeader, 4,
                 "The MIDI header says it is " + plural(headerLength, "byte") + " long, longer than the whole file.");
  }
  const std::uint16_t format = be16(m_bytes.data() + 8);
  if (format > 2) {
    return error(ErrorKind::BadHeader, 8,
                 "The header declares MIDI file format " + std::to_string(format) +
                     ", which does not exist (only formats 0, 1 and 2 do).");
  }
  m_file.format = format;
  m_file.declaredTracks = be16(m_bytes.data() + 10);
  const std::uint16_t division = be16(m_bytes.data() + 12);
  if (division & 0x8000u) {
    const int framesPerSecond = -static_cast<int>(static_cast<std::int8_t>(division >> 8));
    const int ticksPerFrame = division & 0xFF;
    if (framesPerSecond != 24 && framesPerSecond != 25 && framesPerSecond != 29 && framesPerSecond != 30) {
      return error(ErrorKind::BadHeader, 12,
                   "The header uses SMPTE timing at " + std::to_string(framesPerSecond) +
                       " frames per second; only 24, 25, 29.97 and 30 exist.");
    }
    if (ticksPerFrame == 0) {
      return error(ErrorKind::BadHeader, 12, "The header uses SMPTE timing with zero ticks per frame.");
    }
    m_file.smpteFramesPerSecond = framesPerSecond;
    // Represent SMPTE time with a fixed tempo: one "quarter note" lasts one second
    // (30/29.97 s for drop-frame, whose nominal 30 frames take 1.001 s).
    const int nominalFps = framesPerSecond == 29 ? 30 : framesPerSecond;
    m_file.score.ticksPerQuarter = nominalFps * ticksPerFrame;
  } else {
    if (division == 0) {
      return error(ErrorKind::BadHeader, 12,
                   "The header says a quarter note has zero ticks, so no timing can be read.");
    }
    m_file.score.ticksPerQuarter = division;
  }
  headerEnd = 8 + std::size_t{headerLength};
  return std::nullopt;
}

void Parser::keepChannelMessage(std::uint8_t status, std::uint8_t d1, std::uint8_t d2, std::int64_t tick,
                                RawTrack& track, std::vector<OpenNote>& open) {
  const std::uint8_t kind = status & 0xF0;
  const std::uint8_t channel = status & 0x0F;
  RawTrack::ChannelData& ch = track.channels[channel];
  if (kind == 0x90 && d2 > 0) {
    open.push_back({channel, d1, static_cast<std::uint32_t>(ch.notes.size())});
    ch.notes.push_back(Note{tick, -1, d1, d2});
  } else if (kind == 0x80 || kind == 0x90) {
    auto it = std::find_if(open.begin(), open.end(),
                           [&](const OpenNote& n) { return n.channel == channel && n.pitch == d1; });
    if (it != open.end()) { // a release without a sounding note is ignored
      Note& note = ch.notes[it->index];
      note.durationTicks = tick - note.startTicks;
      open.erase(it);
    }
  } else if (kind == 0xB0) {
    ch.controls.push_back({tick, d1, d2});
  } else if (kind == 0xC0) {
    track.programs.push_back({tick, channel, d1});
  } else if (kind == 0xE0) {
    ch.pitchBends.push_back({tick, static_cast<std::int16_t>(((d2 << 7) | d1) - 8192)});
  }
  // 0xA0 (poly aftertouch) and 0xD0 (channel pressure) are read and deliberately not kept.
}

bool Parser::keepMetaEvent(std::uint8_t type, std::span<const std::uint8_t> bytes, std::int64_t tick, RawTrack& track) {
  const std::uint8_t* payload = bytes.data();
  const auto length = static_cast<std::uint32_t>(bytes.size());
  const std::string_view text(reinterpret_cast<const char*>(payload), length);
  switch (type) {
  case 0x02: // copyright: kept, the app shows it with the piece
    if (m_file.score.copyright.empty()) {
      m_file.score.copyright = textToUtf8(text);
    }
    break;
  case 0x03: // sequence / track name
    if (track.name.empty()) {
      track.name = textToUtf8(text);
    }
    break;
  case 0x04: // instrument name: a fallback track name
    if (track.instrument.empty()) {
      track.instrument = textToUtf8(text);
    }
    break;
  case 0x2F: // end of track: anything after it in the chunk is ignored
    return true;
  case 0x51: // tempo
    if (length == 3) {
      const std::uint32_t usPerQuarter = (std::uint32_t{payload[0]} << 16) | (payload[1] << 8) | payload[2];
      if (usPerQuarter > 0 && m_file.smpteFramesPerSecond == 0) { // SMPTE time ignores tempo
        m_file.score.tempos.push_back({tick, usPerQuarter});
      }
    }
    break;
  case 0x58: // time signature: nn dd(power of 2) cc bb
    if (length >= 2 && payload[0] > 0 && payload[1] <= 6) {
      m_file.score.timeSignatures.push_back({tick, payload[0], static_cast<std::uint8_t>(1u << payload[1])});
    }
    break;
  case 0x59: // key signature: sf (-7..7) mi (0 major, 1 minor)
    if (length >= 2) {
      const auto sharps = static_cast<std::int8_t>(payload[0]);
      if (sharps >= -7 && sharps <= 7 && payload[1] <= 1) {
        m_file.score.keySignatures.push_back({tick, sharps, payload[1] == 1});
      }
    }
    break;
  default:
    // Deliberately skipped: 00 sequence number, 01 text, 05 lyric, 06 marker,
    // 07 cue point, 08 program name, 09 device name, 20 channel prefix, 21 port,
    // 54 SMPTE offset (playback starts at zero), 7F sequencer-specific, and any
    // type the standard does not define.
    break;
  }
  return false;
}

std::optional<bool> Parser::TrackCursor::readVlq(std::uint32_t& value) {
  value = 0;
  for (int i = 0; i < 4; ++i) {
    if (pos >= end) return false;
    const std::uint8_t b = data[pos++];
    value = (value << 7) | (b & 0x7Fu);
    if (!(b & 0x80u)) return true;
  }
  return std::nullopt;
}

Parser::Step Parser::truncated(const TrackCursor& c, std::size_t at) {
  // A chunk that runs past the end of the file was reported once by run(); here only an event
  // cut by the chunk's own length is news.
  if (!c.clipped) {
    warn(ErrorKind::Truncated, at,
         c.label + " ends in the middle of an event (its length in the file is too small); the rest of it was "
                   "ignored.");
  }
  return Step::Stop;
}

Parser::Step Parser::readChannelEvent(TrackCursor& c, std::uint8_t status, RawTrack& track, std::size_t eventStart,
                                      std::optional<Error>& failure) {
  c.runningStatus = status;
  const std::uint8_t kind = status & 0xF0;
  const std::size_t dataBytes = (kind == 0xC0 || kind == 0xD0) ? 1 : 2;
  if (c.end - c.pos < dataBytes) return truncated(c, eventStart);
  const std::uint8_t d1 = c.data[c.pos];
  const std::uint8_t d2 = dataBytes == 2 ? c.data[c.pos + 1] : 0;
  if ((d1 | d2) & 0x80u) {
    failure = error(ErrorKind::Corrupt, c.pos,
                    c.label + " has a MIDI message whose values are out of range (above 127); the file is damaged.");
    return Step::Fail;
  }
  c.pos += dataBytes;
  keepChannelMessage(status, d1, d2, c.tick, track, c.open);
  return Step::Next;
}

Parser::Step Parser::readPayload(TrackCursor& c, std::size_t eventStart, const char* what,
                                 std::span<const std::uint8_t>& payload, std::optional<Error>& failure) {
  std::uint32_t length = 0;
  const std::optional<bool> lengthRead = c.readVlq(length);
  if (!lengthRead) {
    failure = error(ErrorKind::Corrupt, eventStart,
                    c.label + " has " + what + " with an impossible length; the file is damaged.");
    return Step::Fail;
  }
  if (!*lengthRead || length > c.end - c.pos) return truncated(c, eventStart);
  payload = std::span<const std::uint8_t>(c.data + c.pos, length);
  c.pos += length;
  return Step::Next;
}

Parser::Step Parser::readMetaEvent(TrackCursor& c, RawTrack& track, std::size_t eventStart,
                                   std::optional<Error>& failure) {
  // Running status deliberately survives a meta event (tolerant).
  if (c.pos >= c.end) return truncated(c, eventStart);
  const std::uint8_t type = c.data[c.pos++];
  std::span<const std::uint8_t> payload;
  if (const Step read = readPayload(c, eventStart, "a meta event", payload, failure); read != Step::Next) return read;
  return keepMetaEvent(type, payload, c.tick, track) ? Step::Stop : Step::Next;
}

Parser::Step Parser::skipSysex(TrackCursor& c, std::size_t eventStart, std::optional<Error>& failure) {
  // System exclusive, or escaped bytes: skipped; running status is kept.
  std::span<const std::uint8_t> payload;
  return readPayload(c, eventStart, "a system-exclusive message", payload, failure);
}

void Parser::skipLiveMessage(TrackCursor& c, std::uint8_t status, std::size_t eventStart) {
  // System common / real-time messages have no place in a file. Players differ; we skip them
  // with their data bytes, as most do, and say so once.
  const std::size_t expectedData = (status == 0xF2) ? 2 : (status == 0xF1 || status == 0xF3) ? 1 : 0;
  for (std::size_t i = 0; i < expectedData && c.pos < c.end && c.data[c.pos] < 0x80; ++i)
    ++c.pos;
  if (!c.warnedIllegal) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%02X", status);
    warn(ErrorKind::IllegalEvent, eventStart,
         c.label + " contains a live-only MIDI message (" + hex + ") that does not belong in a file; it was skipped.");
    c.warnedIllegal = true;
  }
}

std::optional<Error> Parser::readTrack(std::size_t begin, std::size_t end, bool clipped, int index, RawTrack& track) {
  TrackCursor c{m_bytes.data(), begin, end, m_trackOffsetTicks, clipped, "Track " + std::to_string(index + 1), 0,
                false,          {}};
  std::optional<Error> failure;
  while (c.pos < c.end) {
    const std::size_t eventStart = c.pos;
    std::uint32_t delta = 0;
    const std::optional<bool> deltaRead = c.readVlq(delta);
    if (!deltaRead) {
      return error(ErrorKind::Corrupt, eventStart,
                   c.label + " has a time value longer than the 4 bytes MIDI allows; the file is damaged.");
    }
    if (!*deltaRead) {
      truncated(c, eventStart);
      break;
    }
    c.tick += delta;
    if (c.pos >= c.end) {
      truncated(c, eventStart);
      break;
    }
    std::uint8_t status = c.data[c.pos];
    if (status & 0x80u) {
      ++c.pos;
    } else if (c.runningStatus != 0) {
      status = c.runningStatus; // running status: the data bytes follow directly
    } else {
      return error(ErrorKind::Corrupt, c.pos,
                   c.label + " has a note or controller value without a message before it; the file is damaged.");
    }
    Step step = Step::Next;
    if (status < 0xF0) {
      step = readChannelEvent(c, status, track, eventStart, failure);
    } else if (status == 0xFF) {
      step = readMetaEvent(c, track, eventStart, failure);
    } else if (status == 0xF0 || status == 0xF7) {
      step = skipSysex(c, eventStart, failure);
    } else {
      skipLiveMessage(c, status, eventStart);
    }
    if (step == Step::Fail) return failure;
    if (step == Step::Stop) break;
  }

  track.endTicks = c.tick;
  // Notes never released end with their track (or with the last event read).
  for (const OpenNote& n : c.open) {
    Note& note = track.channels[n.channel].notes[n.index];
    note.durationTicks = std::max<std::int64_t>(0, c.tick - note.startTicks);
  }
  return std::nullopt;
}

void Parser::buildScore(std::vector<RawTrack>& rawTracks) {
  Score& score = m_file.score;
  // Program changes apply to a channel across tracks in formats 0 and 1; format 2
  // patterns are independent, so there a track only sees its own.
  std::vector<ProgramChange> sharedPrograms;
  if (m_file.format != 2) {
    for (const RawTrack& raw : rawTracks) {
      sharedPrograms.insert(sharedPrograms.end(), raw.programs.begin(), raw.programs.end());
    }
    std::stable_sort(sharedPrograms.begin(), sharedPrograms.end(),
                     [](const ProgramChange& a, const ProgramChange& b) { return a.ticks < b.ticks; });
  }

  for (std::size_t t = 0; t < rawTracks.size(); ++t) {
    RawTrack& raw = rawTracks[t];
    if (t == 0 && m_file.format != 2 && !raw.name.empty() && !m_titleSet) {
      score.title = raw.name;
      m_titleSet = true;
    }
    std::vector<ProgramChange>& programs = m_file.format == 2 ? raw.programs : sharedPrograms;
    const int channelsWithNotes = static_cast<int>(std::count_if(
        raw.channels.begin(), raw.channels.end(), [](const RawTrack::ChannelData& c) { return !c.notes.empty(); }));
    for (std::uint8_t channel = 0; channel < 16; ++channel) {
      RawTrack::ChannelData& data = raw.channels[channel];
      if (data.notes.empty()) {
        continue; // controllers of a channel without notes in this track are not kept
      }
      Track track;
      track.channel = channel;
      track.isDrum = channel == kDrumChannel;
      std::string name = !raw.name.empty() ? raw.name : raw.instrument;
      if (channelsWithNotes > 1) {
        name = name.empty() ? "Channel " + std::to_string(channel + 1)
                            : name + " (channel " + std::to_string(channel + 1) + ")";
      }
      track.name = std::move(name);
      // File order is time order; only chords may need their pitches ordered.
      const auto byStartThenPitch = [](const Note& a, const Note& b) {
        return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
      };
      if (!std::is_sorted(data.notes.begin(), data.notes.end(), byStartThenPitch)) {
        std::stable_sort(data.notes.begin(), data.notes.end(), byStartThenPitch);
      }
      const std::int64_t firstNoteTicks = data.notes.front().startTicks;
      for (const ProgramChange& change : programs) {
        if (change.ticks > firstNoteTicks) {
          break;
        }
        if (change.channel == channel) {
          track.program = change.program;
        }
      }
      track.notes = std::move(data.notes);
      track.controls = std::move(data.controls);
      track.pitchBends = std::move(data.pitchBends);
      score.tracks.push_back(std::move(track));
    }
  }

  auto byTicks = [](const auto& a, const auto& b) { return a.ticks < b.ticks; };
  std::stable_sort(score.tempos.begin(), score.tempos.end(), byTicks);
  std::stable_sort(score.timeSignatures.begin(), score.timeSignatures.end(), byTicks);
  std::stable_sort(score.keySignatures.begin(), score.keySignatures.end(), byTicks);
  if (m_file.smpteFramesPerSecond != 0) {
    const std::uint32_t usPerQuarter = m_file.smpteFramesPerSecond == 29 ? 1001001u : 1000000u;
    score.tempos = {TempoChange{0, usPerQuarter}};
  }
}

Result<SmfFile> Parser::run() {
  m_file.bytes = m_bytes.size();
  if (m_bytes.size() > kMaxSmfBytes) {
    return error(ErrorKind::TooLarge, 0,
                 "The file is " + std::to_string(m_bytes.size() / (1024 * 1024)) +
                     " MB, too large to be a MIDI file Lyrebird can read (the limit is 256 MB).");
  }
  if (std::optional<Error> e = unwrapRiff()) {
    return *e;
  }
  std::size_t pos = 0;
  if (std::optional<Error> e = readHeader(pos)) {
    return *e;
  }

  std::vector<RawTrack> rawTracks;
  while (m_bytes.size() - pos >= 8) {
    const std::uint8_t* chunk = m_bytes.data() + pos;
    const std::uint32_t length = be32(chunk + 4);
    const std::size_t bodyBegin = pos + 8;
    const std::size_t chunkEnd = bodyBegin + std::size_t{length};
    if (hasTag(chunk, "MTrk")) {
      const int index = static_cast<int>(rawTracks.size());
      const bool clipped = chunkEnd > m_bytes.size();
      if (clipped) {
        warn(ErrorKind::Truncated, pos + 4,
             "Track " + std::to_string(index + 1) + " is cut short: it announces " + plural(length, "byte") +
                 " but the file ends after " + std::to_string(m_bytes.size() - bodyBegin) +
                 ". The notes before the cut were kept.");
      }
      rawTracks.emplace_back();
      if (std::optional<Error> e =
              readTrack(bodyBegin, std::min(chunkEnd, m_bytes.size()), clipped, index, rawTracks.back())) {
        return *e;
      }
      if (m_file.format == 2) {
        m_trackOffsetTicks = rawTracks.back().endTicks;
      }
    } else if (!isPrintableTag(chunk)) {
      if (!rawTracks.empty() && static_cast<int>(rawTracks.size()) >= m_file.declaredTracks) {
        warn(ErrorKind::TrailingData, pos,
             plural(m_bytes.size() - pos, "byte") + " of unreadable data after the last track were ignored.");
        pos = m_bytes.size();
        break;
      }
      return error(ErrorKind::Corrupt, pos,
                   "Expected track " + std::to_string(rawTracks.size() + 1) +
                       " to start here ('MTrk'), but found unreadable data; the file is damaged.");
    }
    // Any other chunk with a readable name is a private extension: skipped, as the standard says.
    if (chunkEnd >= m_bytes.size()) {
      pos = m_bytes.size();
      break;
    }
    pos = chunkEnd;
  }
  if (pos < m_bytes.size()) {
    warn(ErrorKind::TrailingData, pos, plural(m_bytes.size() - pos, "byte") + " after the last track were ignored.");
  }
  m_file.trackChunks = static_cast<int>(rawTracks.size());
  if (rawTracks.empty()) {
    return error(ErrorKind::NoTracks, pos,
                 "The file has a MIDI header but no track ('MTrk' chunk), so it holds no music.");
  }
  if (m_file.trackChunks != m_file.declaredTracks) {
    warn(ErrorKind::TrackCountMismatch, 10,
         "The header announces " + plural(m_file.declaredTracks, "track") + " but the file holds " +
             std::to_string(m_file.trackChunks) + "; all tracks found were read.");
  }
  buildScore(rawTracks);
  return std::move(m_file);
}

} // namespace

Result<SmfFile> readSmf(std::span<const std::uint8_t> bytes, std::string_view path) {
  return Parser(bytes, path).run();
}

Result<SmfFile> readSmfFile(const std::filesystem::path& path) {
  const std::string pathText = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error{ErrorKind::NotFound, pathText, -1, "The file does not exist."};
  }
  if (std::filesystem::is_directory(status)) {
    return Error{ErrorKind::Io, pathText, -1, "This is a folder, not a MIDI file."};
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(pathText.c_str(), "rb"), &std::fclose);
  if (!file) {
    return Error{ErrorKind::Io, pathText, -1, std::string("The file cannot be opened: ") + std::strerror(errno) + "."};
  }
  // Read at most one byte past the limit, so a huge file is refused without reading it all.
  std::vector<std::uint8_t> bytes;
  const std::uintmax_t expectedSize = std::filesystem::file_size(path, ec);
  if (!ec && expectedSize <= kMaxSmfBytes) {
    bytes.reserve(static_cast<std::size_t>(expectedSize));
  }
  std::array<std::uint8_t, 64 * 1024> buffer{};
  while (true) {
    const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
    bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    if (bytes.size() > kMaxSmfBytes) {
      return Error{ErrorKind::TooLarge, pathText, -1,
                   "The file is larger than 256 MB, too large to be a MIDI file Lyrebird can read."};
    }
    if (n < buffer.size()) {
      if (std::ferror(file.get())) {
        return Error{ErrorKind::Io, pathText, static_cast<std::int64_t>(bytes.size()),
                     "Reading the file failed (a disk or network error)."};
      }
      break;
    }
  }
  return readSmf(bytes, pathText);
}

} // namespace lyrebird::midi
