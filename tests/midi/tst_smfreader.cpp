#include "testsupport.h"

#include "midi/smfreader.h"
#include "midi/tempomap.h"

#include <QFile>
#include <QtTest>

#include <fstream>
#include <random>
#include <set>

using namespace lyrebird;
using namespace lyrebird::midi;
using lyrebird::test::Bytes;
using lyrebird::test::events;
using lyrebird::test::kEndOfTrack;
using lyrebird::test::SmfBuilder;

class TestSmfReader : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void sharedMidiTests_data();
  void sharedMidiTests();
  void everySharedTestFileIsInTheTable();

  void formatZeroSplitsChannelsIntoTracks();
  void formatOneKeepsTracks();
  void formatTwoPlaysPatternsInSequence();
  void runningStatus();
  void runningStatusSurvivesMetaAndSysex();
  void dataByteWithoutStatusIsCorrupt();
  void noteOnVelocityZeroIsNoteOff();
  void overlappingSamePitchPairsFirstInFirstOut();
  void unreleasedNotesEndWithTheirTrack();
  void metaEventsKept();
  void programInForceAtFirstNote();
  void controllersAndPitchBendKept();
  void smpteDivision();
  void rmidWrapper();
  void riffWithoutRmidIsNotMidi();
  void unknownChunksSkipped();
  void headerTrackCountDisagrees();
  void longerHeaderHonoured();
  void sysexF0AndF7Skipped();
  void hugeLengthsAreTruncationNotAllocation();
  void overlongVariableLengthQuantity();
  void everyPrefixOfAFileIsHandled();
  void randomCorruptionNeverCrashes();
  void latin1NamesBecomeUtf8();
  void missingFile();
};

namespace {

const Score& scoreOf(const Result<SmfFile>& r) {
  return r->score;
}

Result<SmfFile> parse(const Bytes& bytes) {
  return readSmf(bytes, "test.mid");
}

Bytes simpleTrack() {
  return events({{0x00, 0x90, 60, 100}, {0x60, 0x80, 60, 0}, kEndOfTrack});
}

bool hasWarning(const SmfFile& file, ErrorKind kind) {
  return std::any_of(file.warnings.begin(), file.warnings.end(), [&](const Error& e) { return e.kind == kind; });
}

} // namespace

void TestSmfReader::sharedMidiTests_data() {
  LYREBIRD_REQUIRE_SHARED();
  QTest::addColumn<QString>("path");
  QTest::addColumn<QString>("outcome");
  QTest::addColumn<QString>("kind");
  QTest::addColumn<int>("notes");
  QFile table(QString::fromStdString((test::sourceDir() / "tests/data/midi-tests-expected.tsv").string()));
  QVERIFY(table.open(QIODevice::ReadOnly | QIODevice::Text));
  while (!table.atEnd()) {
    const QString line = QString::fromUtf8(table.readLine()).trimmed();
    if (line.isEmpty() || line.startsWith(u'#')) continue;
    const QStringList cells = line.split(u'\t');
    QVERIFY2(cells.size() >= 3, qPrintable(line));
    QTest::newRow(qPrintable(cells[0])) << cells[0] << cells[1] << cells[2]
                                        << (cells.size() > 3 && !cells[3].isEmpty() ? cells[3].toInt() : -1);
  }
}

void TestSmfReader::sharedMidiTests() {
  QFETCH(QString, path);
  QFETCH(QString, outcome);
  QFETCH(QString, kind);
  QFETCH(int, notes);
  const auto file = test::sharedDir() / "midi-tests" / path.toStdString();
  const Result<SmfFile> result = readSmfFile(file);
  if (outcome == u"error") {
    QVERIFY2(!result.ok(), "expected this file to be refused");
    const Error& e = result.error();
    QCOMPARE(QString::fromUtf8(errorKindName(e.kind).data()), kind);
    QCOMPARE(e.path, file.string());
    QVERIFY(e.offset >= 0);
    QVERIFY(e.message.size() > 10);
    QVERIFY2(QString::fromStdString(e.describe()).contains(u"byte"), e.describe().c_str());
    return;
  }
  QVERIFY2(result.ok(), result.ok() ? "" : result.error().describe().c_str());
  QCOMPARE(static_cast<int>(result->score.noteCount()), notes);
  if (outcome == u"warning") {
    QVERIFY2(!result->warnings.empty(), "expected a warning");
    const bool found = std::any_of(result->warnings.begin(), result->warnings.end(), [&](const Error& w) {
      return QString::fromUtf8(errorKindName(w.kind).data()) == kind;
    });
    QVERIFY2(found, qPrintable(QStringLiteral("no warning of kind ") + kind));
  } else {
    for (const Error& w : result->warnings)
      qWarning("unexpected warning: %s", w.describe().c_str());
    QVERIFY(result->warnings.empty());
  }
  for (const Track& track : result->score.tracks) {
    for (const Note& note : track.notes) {
      QVERIFY(note.durationTicks >= 0);
      QVERIFY(note.pitch <= 127);
      QVERIFY(note.velocity >= 1 && note.velocity <= 127);
    }
  }
}

void TestSmfReader::everySharedTestFileIsInTheTable() {
  LYREBIRD_REQUIRE_SHARED();
  QFile table(QString::fromStdString((test::sourceDir() / "tests/data/midi-tests-expected.tsv").string()));
  QVERIFY(table.open(QIODevice::ReadOnly | QIODevice::Text));
  std::set<std::string> listed;
  while (!table.atEnd()) {
    const QString line = QString::fromUtf8(table.readLine());
    if (!line.startsWith(u'#')) listed.insert(line.section(u'\t', 0, 0).toStdString());
  }
  const auto root = test::sharedDir() / "midi-tests";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".mid" || ext == ".midi" || ext == ".kar" || ext == ".rmi" || ext == ".midi2") {
      const std::string rel = entry.path().lexically_relative(root).generic_string();
      QVERIFY2(listed.count(rel), ("not in tests/data/midi-tests-expected.tsv: " + rel).c_str());
    }
  }
}

void TestSmfReader::formatZeroSplitsChannelsIntoTracks() {
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0xFF, 0x03, 4, 'S', 'o', 'n', 'g'},
                                         {0x00, 0xC1, 40},
                                         {0x00, 0x90, 60, 100},
                                         {0x00, 0x91, 72, 90},
                                         {0x00, 0x99, 36, 120},
                                         {0x60, 0x80, 60, 0},
                                         {0x00, 0x81, 72, 0},
                                         {0x00, 0x89, 36, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(r->format, 0);
  const Score& s = scoreOf(r);
  QCOMPARE(s.title, std::string("Song"));
  QCOMPARE(s.tracks.size(), std::size_t{3});
  QCOMPARE(s.tracks[0].channel, std::uint8_t{0});
  QCOMPARE(s.tracks[1].channel, std::uint8_t{1});
  QCOMPARE(s.tracks[1].program, std::uint8_t{40});
  QCOMPARE(s.tracks[1].name, std::string("Song (channel 2)"));
  QCOMPARE(s.tracks[2].channel, std::uint8_t{9});
  QVERIFY(s.tracks[2].isDrum);
  QVERIFY(!s.tracks[0].isDrum);
}

void TestSmfReader::formatOneKeepsTracks() {
  const Bytes bytes = SmfBuilder()
                          .header(1, 3, 480)
                          .track(events({{0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20}, kEndOfTrack}))
                          .track(events({{0x00, 0xFF, 0x03, 5, 'R', 'i', 'g', 'h', 't'},
                                         {0x00, 0x90, 72, 80},
                                         {0x83, 0x60, 0x80, 72, 0},
                                         kEndOfTrack}))
                          .track(events({{0x00, 0xFF, 0x03, 4, 'L', 'e', 'f', 't'},
                                         {0x00, 0x90, 48, 70},
                                         {0x87, 0x40, 0x80, 48, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(r->trackChunks, 3);
  const Score& s = scoreOf(r);
  QCOMPARE(s.tracks.size(), std::size_t{2});
  QCOMPARE(s.tracks[0].name, std::string("Right"));
  QCOMPARE(s.tracks[1].name, std::string("Left"));
  QCOMPARE(s.tracks[0].notes[0], (Note{0, 480, 72, 80}));
  QCOMPARE(s.tracks[1].notes[0], (Note{0, 960, 48, 70}));
  QCOMPARE(s.tempos.size(), std::size_t{1});
  QCOMPARE(s.tempos[0].microsecondsPerQuarter, 500000u);
}

void TestSmfReader::formatTwoPlaysPatternsInSequence() {
  const Bytes bytes = SmfBuilder()
                          .header(2, 2, 96)
                          .track(events({{0x00, 0x90, 60, 100}, {0x60, 0x80, 60, 0}, kEndOfTrack}))
                          .track(events({{0x00, 0x90, 62, 100}, {0x60, 0x80, 62, 0}, kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Score& s = scoreOf(r);
  QCOMPARE(s.tracks.size(), std::size_t{2});
  QCOMPARE(s.tracks[0].notes[0].startTicks, std::int64_t{0});
  QCOMPARE(s.tracks[1].notes[0].startTicks, std::int64_t{96}); // after the first pattern
}

void TestSmfReader::runningStatus() {
  // One status byte, then three note-ons and their releases (note-on velocity 0).
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0x90, 60, 100},
                                         {0x00, 64, 100},
                                         {0x00, 67, 100},
                                         {0x60, 60, 0},
                                         {0x00, 64, 0},
                                         {0x00, 67, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Track& t = scoreOf(r).tracks.at(0);
  QCOMPARE(t.notes.size(), std::size_t{3});
  for (const Note& n : t.notes)
    QCOMPARE(n.durationTicks, std::int64_t{96});
}

void TestSmfReader::runningStatusSurvivesMetaAndSysex() {
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0x90, 60, 100},
                                         {0x00, 0xFF, 0x01, 2, 'h', 'i'},
                                         {0x00, 62, 100},
                                         {0x00, 0xF0, 3, 0x7E, 0x7F, 0xF7},
                                         {0x00, 64, 100},
                                         {0x60, 60, 0},
                                         {0x00, 62, 0},
                                         {0x00, 64, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{3});
  QVERIFY(r->warnings.empty());
}

void TestSmfReader::dataByteWithoutStatusIsCorrupt() {
  const Bytes bytes = SmfBuilder().header(0, 1, 96).track(events({{0x00, 60, 100}, kEndOfTrack})).bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(!r.ok());
  QCOMPARE(r.error().kind, ErrorKind::Corrupt);
  QCOMPARE(r.error().offset, std::int64_t{23}); // 14 header + 8 chunk header + 1 delta
}

void TestSmfReader::noteOnVelocityZeroIsNoteOff() {
  const Bytes bytes =
      SmfBuilder()
          .header(0, 1, 96)
          .track(events(
              {{0x00, 0x90, 60, 100}, {0x30, 0x90, 60, 0}, {0x30, 0x90, 60, 90}, {0x30, 0x80, 60, 64}, kEndOfTrack}))
          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Track& t = scoreOf(r).tracks.at(0);
  QCOMPARE(t.notes.size(), std::size_t{2});
  QCOMPARE(t.notes[0], (Note{0, 48, 60, 100}));
  QCOMPARE(t.notes[1], (Note{96, 48, 60, 90}));
}

void TestSmfReader::overlappingSamePitchPairsFirstInFirstOut() {
  // on@0, on@50, off@80, off@100: the first release ends the first note.
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0x90, 60, 100},
                                         {50, 0x90, 60, 90},
                                         {30, 0x80, 60, 0},
                                         {20, 0x80, 60, 0},
                                         {0x00, 0x80, 60, 0}, // a release with nothing sounding: ignored
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Track& t = scoreOf(r).tracks.at(0);
  QCOMPARE(t.notes.size(), std::size_t{2});
  QCOMPARE(t.notes[0], (Note{0, 80, 60, 100}));
  QCOMPARE(t.notes[1], (Note{50, 50, 60, 90}));
}

void TestSmfReader::unreleasedNotesEndWithTheirTrack() {
  const Bytes bytes = SmfBuilder()
                          .header(1, 1, 96)
                          .track(events({{0x00, 0x90, 60, 100}, {0x10, 0x90, 64, 100}, {0x81, 0x00, 0xFF, 0x2F, 0x00}}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Track& t = scoreOf(r).tracks.at(0);
  QCOMPARE(t.notes.size(), std::size_t{2});
  QCOMPARE(t.notes[0].endTicks(), std::int64_t{16 + 128});
  QCOMPARE(t.notes[1].endTicks(), std::int64_t{16 + 128});
}

void TestSmfReader::metaEventsKept() {
  const Bytes bytes = SmfBuilder()
                          .header(1, 2, 480)
                          .track(events({{0x00, 0xFF, 0x03, 5, 'T', 'i', 't', 'l', 'e'},
                                         {0x00, 0xFF, 0x02, 3, '(', 'c', ')'},
                                         {0x00, 0xFF, 0x58, 4, 3, 2, 24, 8},      // 3/4
                                         {0x00, 0xFF, 0x59, 2, 0xFE, 1},          // 2 flats, minor: G minor
                                         {0x00, 0xFF, 0x51, 3, 0x09, 0x27, 0xC0}, // 100 BPM
                                         {0x00, 0xFF, 0x54, 5, 0, 1, 0, 0, 0},    // SMPTE offset: skipped
                                         {0x00, 0xFF, 0x7F, 3, 0, 0, 0x41},       // sequencer-specific: skipped
                                         {0x83, 0x60, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20},
                                         {0x00, 0xFF, 0x58, 4, 6, 3, 24, 8}, // 6/8 at tick 480
                                         kEndOfTrack}))
                          .track(events({{0x00, 0xFF, 0x04, 5, 'P', 'i', 'a', 'n', 'o'},
                                         {0x00, 0xFF, 0x05, 2, 'l', 'a'},
                                         {0x00, 0x90, 60, 100},
                                         {0x60, 0x80, 60, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Score& s = scoreOf(r);
  QCOMPARE(s.title, std::string("Title"));
  QCOMPARE(s.copyright, std::string("(c)"));
  QCOMPARE(s.tracks.at(0).name, std::string("Piano")); // instrument name as a fallback
  QCOMPARE(s.timeSignatures.size(), std::size_t{2});
  QCOMPARE(s.timeSignatures[0], (TimeSignature{0, 3, 4}));
  QCOMPARE(s.timeSignatures[1], (TimeSignature{480, 6, 8}));
  QCOMPARE(s.keySignatures.size(), std::size_t{1});
  QCOMPARE(s.keySignatures[0], (KeySignature{0, -2, true}));
  QCOMPARE(s.tempos.size(), std::size_t{2});
  QCOMPARE(s.tempos[0], (TempoChange{0, 600000}));
  QCOMPARE(s.tempos[1], (TempoChange{480, 500000}));
}

void TestSmfReader::programInForceAtFirstNote() {
  // Format 1: the program change sits in the conductor track, the notes in track 2.
  const Bytes bytes = SmfBuilder()
                          .header(1, 2, 96)
                          .track(events({{0x00, 0xC0, 19}, kEndOfTrack}))
                          .track(events({{0x10, 0x90, 60, 100}, {0x10, 0xC0, 5}, {0x10, 0x80, 60, 0}, kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(scoreOf(r).tracks.at(0).program, std::uint8_t{19});
}

void TestSmfReader::controllersAndPitchBendKept() {
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0xB0, 64, 127},
                                         {0x00, 0x90, 60, 100},
                                         {0x10, 0xE0, 0x00, 0x40}, // centre
                                         {0x10, 0xE0, 0x7F, 0x7F}, // top
                                         {0x10, 0xB0, 64, 0},
                                         {0x10, 0x80, 60, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  const Track& t = scoreOf(r).tracks.at(0);
  QCOMPARE(t.controls.size(), std::size_t{2});
  QCOMPARE(t.controls[0], (ControlChange{0, 64, 127}));
  QCOMPARE(t.controls[1], (ControlChange{48, 64, 0}));
  QCOMPARE(t.pitchBends.size(), std::size_t{2});
  QCOMPARE(t.pitchBends[0].value, std::int16_t{0});
  QCOMPARE(t.pitchBends[1].value, std::int16_t{8191});
}

void TestSmfReader::smpteDivision() {
  // 25 frames per second, 40 ticks per frame: 1000 ticks a second; tempo events are moot.
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, static_cast<std::uint16_t>((0x100 - 25) << 8 | 40))
                          .track(events({{0x00, 0xFF, 0x51, 3, 0x0F, 0x42, 0x40},
                                         {0x87, 0x68, 0x90, 60, 100}, // at tick 1000
                                         {0x87, 0x68, 0x80, 60, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
  QCOMPARE(r->smpteFramesPerSecond, 25);
  const Score& s = scoreOf(r);
  const TempoMap map(s);
  const Note& n = s.tracks.at(0).notes.at(0);
  QCOMPARE(n.startTicks, std::int64_t{1000});
  QCOMPARE(map.seconds(n.startTicks), 1.0);
  QCOMPARE(map.seconds(n.endTicks()), 2.0);
}

void TestSmfReader::rmidWrapper() {
  const Bytes smf = SmfBuilder().header(0, 1, 96).track(simpleTrack()).bytes();
  Bytes riff = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'R', 'M', 'I', 'D'};
  const Bytes info = {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0}; // odd length: padded
  riff.insert(riff.end(), info.begin(), info.end());
  const Bytes dataHeader = {
      'd', 'a', 't', 'a', static_cast<std::uint8_t>(smf.size()), static_cast<std::uint8_t>(smf.size() >> 8), 0, 0};
  riff.insert(riff.end(), dataHeader.begin(), dataHeader.end());
  riff.insert(riff.end(), smf.begin(), smf.end());
  const std::uint32_t riffSize = static_cast<std::uint32_t>(riff.size() - 8);
  for (int i = 0; i < 4; ++i)
    riff[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(riffSize >> (8 * i));

  const Result<SmfFile> r = parse(riff);
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{1});

  // An error inside the wrapped file reports its offset in the whole file.
  Bytes broken = riff;
  const std::size_t noteOnStatus = riff.size() - smf.size() + 14 + 8 + 1; // header, MTrk header, delta
  broken[noteOnStatus] = 0x40;                                            // the note-on status byte becomes a data byte
  const Result<SmfFile> b = parse(broken);
  QVERIFY(!b.ok());
  QCOMPARE(b.error().kind, ErrorKind::Corrupt);
  QCOMPARE(b.error().offset, static_cast<std::int64_t>(noteOnStatus));
}

void TestSmfReader::riffWithoutRmidIsNotMidi() {
  const Bytes wave = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'A', 'V', 'E'};
  const Result<SmfFile> r = parse(wave);
  QVERIFY(!r.ok());
  QCOMPARE(r.error().kind, ErrorKind::NotMidi);
}

void TestSmfReader::unknownChunksSkipped() {
  const Bytes bytes = SmfBuilder()
                          .header(1, 1, 96)
                          .chunk("XFIH", {1, 2, 3, 4, 5})
                          .track(simpleTrack())
                          .chunk("Junk", {0xFF, 0xFF})
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{1});
  QVERIFY(r->warnings.empty());
}

void TestSmfReader::headerTrackCountDisagrees() {
  const Bytes bytes = SmfBuilder().header(1, 5, 96).track(simpleTrack()).track(simpleTrack()).bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(r->declaredTracks, 5);
  QCOMPARE(r->trackChunks, 2);
  QVERIFY(hasWarning(*r, ErrorKind::TrackCountMismatch));
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{2});
}

void TestSmfReader::longerHeaderHonoured() {
  Bytes bytes = {'M', 'T', 'h', 'd', 0, 0, 0, 8, 0, 0, 0, 1, 0, 96, 0xAA, 0xBB};
  const Bytes rest = SmfBuilder().track(simpleTrack()).bytes();
  bytes.insert(bytes.end(), rest.begin(), rest.end());
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{1});
}

void TestSmfReader::sysexF0AndF7Skipped() {
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0xF0, 0x05, 0x43, 0x12, 0x00, 0x07, 0xF7},
                                         {0x00, 0xF7, 0x02, 0x01, 0x02}, // escape / continuation packet
                                         {0x00, 0x90, 60, 100},
                                         {0x60, 0x80, 60, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{1});
}

void TestSmfReader::hugeLengthsAreTruncationNotAllocation() {
  // A track chunk that claims 4 GB and a meta event that claims 256 MB.
  const Bytes bytes =
      SmfBuilder()
          .header(0, 1, 96)
          .chunk("MTrk", events({{0x00, 0x90, 60, 100}, {0x60, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F}}), 0xFFFFFFFFll)
          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QVERIFY(hasWarning(*r, ErrorKind::Truncated));
  QCOMPARE(scoreOf(r).noteCount(), std::size_t{1}); // the note was kept and closed at the cut
}

void TestSmfReader::overlongVariableLengthQuantity() {
  const Bytes bytes =
      SmfBuilder().header(0, 1, 96).track(events({{0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 100}, kEndOfTrack})).bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(!r.ok());
  QCOMPARE(r.error().kind, ErrorKind::Corrupt);
}

void TestSmfReader::everyPrefixOfAFileIsHandled() {
  const Bytes whole = SmfBuilder()
                          .header(1, 2, 96)
                          .track(events({{0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20}, kEndOfTrack}))
                          .track(events({{0x00, 0xFF, 0x03, 1, 'x'},
                                         {0x00, 0x90, 60, 100},
                                         {0x00, 64, 100},
                                         {0x60, 0x80, 60, 0},
                                         {0x00, 0x80, 64, 0},
                                         kEndOfTrack}))
                          .bytes();
  for (std::size_t n = 0; n <= whole.size(); ++n) {
    const Bytes prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    const Result<SmfFile> r = parse(prefix);
    if (r.ok()) {
      QVERIFY2(n >= 22, "a file without a track cannot load");
      QVERIFY(n == whole.size() || !r->warnings.empty()); // a cut file always says so
    } else {
      const ErrorKind k = r.error().kind;
      QVERIFY2(k == ErrorKind::NotMidi || k == ErrorKind::Truncated || k == ErrorKind::NoTracks,
               r.error().describe().c_str());
    }
  }
}

void TestSmfReader::randomCorruptionNeverCrashes() {
  Bytes base = SmfBuilder()
                   .header(1, 2, 96)
                   .track(events({{0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20}, {0x00, 0xF0, 2, 1, 0xF7}, kEndOfTrack}))
                   .track(events({{0x00, 0x90, 60, 100},
                                  {0x00, 64, 100},
                                  {0x60, 0x80, 60, 0},
                                  {0x00, 64, 0},
                                  {0x00, 0xB0, 64, 127},
                                  {0x81, 0x00, 0xE0, 0, 64},
                                  kEndOfTrack}))
                   .bytes();
  std::mt19937 random(1234);
  for (int i = 0; i < 20000; ++i) {
    Bytes mutated = base;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) {
      mutated[random() % mutated.size()] = static_cast<std::uint8_t>(random());
    }
    const Result<SmfFile> r = parse(mutated);
    if (r.ok()) {
      for (const Track& t : r->score.tracks)
        for (const Note& n : t.notes)
          QVERIFY(n.durationTicks >= 0);
    } else {
      QVERIFY(!r.error().message.empty());
    }
  }
}

void TestSmfReader::latin1NamesBecomeUtf8() {
  const Bytes bytes = SmfBuilder()
                          .header(0, 1, 96)
                          .track(events({{0x00, 0xFF, 0x03, 5, 'F', 'a', 'u', 'r', 0xE9}, // "Fauré" in Latin-1
                                         {0x00, 0x90, 60, 100},
                                         {0x60, 0x80, 60, 0},
                                         kEndOfTrack}))
                          .bytes();
  const Result<SmfFile> r = parse(bytes);
  QVERIFY(r.ok());
  QCOMPARE(QString::fromStdString(scoreOf(r).title), QStringLiteral("Faur\u00e9"));
}

void TestSmfReader::missingFile() {
  const Result<SmfFile> r = readSmfFile("/nonexistent/lyrebird/none.mid");
  QVERIFY(!r.ok());
  QCOMPARE(r.error().kind, ErrorKind::NotFound);
  QCOMPARE(r.error().path, std::string("/nonexistent/lyrebird/none.mid"));
}

QTEST_GUILESS_MAIN(TestSmfReader)
#include "tst_smfreader.moc"
