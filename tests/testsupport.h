#pragma once

// Helpers shared by the Qt Test executables: where test data live and a tiny
// byte-level builder for hand-made Standard MIDI Files.

#include "corpus/corpus.h"
#include "midi/score.h"

#include <QString>
#include <QtTest>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <unistd.h>
#include <vector>

namespace lyrebird::test {

/// ../shared beside the checkout (CI lays it there). Tests that need it skip when absent.
inline std::filesystem::path sharedDir() {
  return std::filesystem::path(LYREBIRD_SHARED_DIR);
}
inline std::filesystem::path sourceDir() {
  return std::filesystem::path(LYREBIRD_SOURCE_DIR);
}

#define LYREBIRD_REQUIRE_SHARED()                                                                                      \
  do {                                                                                                                 \
    if (!std::filesystem::is_directory(lyrebird::test::sharedDir() / "data"))                                          \
      QSKIP("../shared (corpora and MIDI test files) is not beside the checkout");                                     \
  } while (false)

using Bytes = std::vector<std::uint8_t>;

/// Builds SMF bytes by hand so tests can express exact event streams.
class SmfBuilder {
public:
  /// Header chunk. `division` is written as is (set bit 15 for SMPTE).
  SmfBuilder& header(std::uint16_t format, std::uint16_t tracks, std::uint16_t division) {
    tag("MThd");
    be32(6);
    be16(format);
    be16(tracks);
    be16(division);
    return *this;
  }
  /// A chunk with any tag and body; the length is the body's unless given.
  SmfBuilder& chunk(const char* id, const Bytes& body, std::int64_t length = -1) {
    tag(id);
    be32(static_cast<std::uint32_t>(length >= 0 ? length : static_cast<std::int64_t>(body.size())));
    m_bytes.insert(m_bytes.end(), body.begin(), body.end());
    return *this;
  }
  SmfBuilder& track(const Bytes& events) { return chunk("MTrk", events); }
  SmfBuilder& raw(const Bytes& bytes) {
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Bytes bytes() const { return m_bytes; }

private:
  void tag(const char* t) { m_bytes.insert(m_bytes.end(), t, t + 4); }
  void be16(std::uint16_t v) {
    m_bytes.push_back(static_cast<std::uint8_t>(v >> 8));
    m_bytes.push_back(static_cast<std::uint8_t>(v));
  }
  void be32(std::uint32_t v) {
    be16(static_cast<std::uint16_t>(v >> 16));
    be16(static_cast<std::uint16_t>(v));
  }
  Bytes m_bytes;
};

/// Concatenates byte lists: events({0x00, 0x90, 60, 100}, {...}).
inline Bytes events(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline const Bytes kEndOfTrack = {0x00, 0xFF, 0x2F, 0x00};

/// A fresh empty folder under the system temp dir, removed with the object.
class TempFolder {
public:
  TempFolder() {
    static int counter = 0;
    m_path = std::filesystem::temp_directory_path() /
             ("lyrebird-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

inline void writeBytes(const std::filesystem::path& path, const Bytes& bytes) {
  std::filesystem::create_directories(path.parent_path());
  FILE* f = std::fopen(path.string().c_str(), "wb");
  QVERIFY2(f, path.string().c_str());
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

inline Bytes readBytes(const std::filesystem::path& path) {
  Bytes bytes;
  FILE* f = std::fopen(path.string().c_str(), "rb");
  if (!f) return bytes;
  std::uint8_t buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  std::fclose(f);
  return bytes;
}

/// A corpus held in memory ("/memory/pieceN.mid"), one loaded file per score, with its stats.
inline corpus::Corpus memoryCorpus(std::vector<midi::Score> scores) {
  corpus::Corpus c;
  c.root = "/memory";
  for (std::size_t i = 0; i < scores.size(); ++i) {
    corpus::CorpusFile file;
    file.relativePath = "piece" + std::to_string(i) + ".mid";
    file.path = c.root / file.relativePath;
    file.score = std::move(scores[i]);
    c.files.push_back(std::move(file));
  }
  c.stats = corpus::summarize(c.files);
  return c;
}

} // namespace lyrebird::test
