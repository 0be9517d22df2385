#include "testsupport.h"

#include "corpus/corpus.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::midi;

class TestSmfWriter : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void handMadeScoreRoundTrips();
  void zeroLengthAndRestruckNotesRoundTrip();
  void realFilesRoundTrip_data();
  void realFilesRoundTrip();
  void writtenFileIsFormatOneWithRunningStatus();
  void atomicWriteReplacesWholeFile();
  void missingFolderIsAnErrorAndWritesNothing();
  void folderInTheWayIsAnError();
};

namespace {

Score handMadeScore() {
  Score s;
  s.ticksPerQuarter = 480;
  s.title = "Round trip";
  s.copyright = "Public domain";
  s.tempos = {{0, 500000}, {1920, 400000}, {3840, 750000}};
  s.timeSignatures = {{0, 4, 4}, {1920, 3, 4}, {3360, 6, 8}};
  s.keySignatures = {{0, 0, false}, {1920, -3, true}};
  Track right;
  right.name = "Right hand";
  right.channel = 0;
  right.program = 0;
  right.notes = {{0, 480, 72, 90}, {0, 480, 76, 80}, {480, 240, 74, 70}, {720, 1200, 79, 100}};
  right.controls = {{0, 64, 127}, {1900, 64, 0}};
  right.pitchBends = {{100, -8192}, {200, 0}, {300, 8191}};
  Track left;
  left.name = "Left hand";
  left.channel = 1;
  left.program = 6;
  left.notes = {{0, 1920, 36, 60}, {1920, 960, 43, 64}, {2880, 960, 41, 64}};
  Track drums;
  drums.name = "Drums";
  drums.channel = 9;
  drums.isDrum = true;
  drums.notes = {{0, 10, 36, 127}, {480, 10, 38, 110}};
  s.tracks = {right, left, drums};
  return s;
}

Score roundTrip(const Score& score) {
  const Result<SmfFile> r = readSmf(writeSmf(score));
  if (!r.ok()) {
    qFatal("written file does not read back: %s", r.error().describe().c_str());
  }
  return r->score;
}

} // namespace

void TestSmfWriter::handMadeScoreRoundTrips() {
  const Score original = handMadeScore();
  const Score back = roundTrip(original);
  QCOMPARE(back.tracks.size(), original.tracks.size());
  for (std::size_t i = 0; i < back.tracks.size(); ++i) {
    QCOMPARE(back.tracks[i].notes, original.tracks[i].notes);
    QCOMPARE(back.tracks[i].controls, original.tracks[i].controls);
    QCOMPARE(back.tracks[i].pitchBends, original.tracks[i].pitchBends);
    QCOMPARE(back.tracks[i].name, original.tracks[i].name);
    QCOMPARE(back.tracks[i].program, original.tracks[i].program);
    QCOMPARE(back.tracks[i].isDrum, original.tracks[i].isDrum);
  }
  QCOMPARE(back.tempos, original.tempos);
  QCOMPARE(back.timeSignatures, original.timeSignatures);
  QCOMPARE(back.keySignatures, original.keySignatures);
  QVERIFY(back == original);
}

void TestSmfWriter::zeroLengthAndRestruckNotesRoundTrip() {
  Score s;
  s.ticksPerQuarter = 96;
  Track t;
  // A note released on the tick where the same key is struck again, and a zero-length note.
  t.notes = {{0, 96, 60, 100}, {96, 0, 60, 50}, {96, 96, 60, 80}, {192, 10, 62, 70}};
  s.tracks = {t};
  const Score back = roundTrip(s);
  QCOMPARE(back.tracks.at(0).notes, s.tracks[0].notes);
}

void TestSmfWriter::realFilesRoundTrip_data() {
  LYREBIRD_REQUIRE_SHARED();
  QTest::addColumn<QString>("path");
  for (const char* folder :
       {"midi-tests", "data/piano-midi-de", "data/jsb-chorales/valid", "data/final-fantasy-piano"}) {
    const auto files = corpus::findMidiFiles(test::sharedDir() / folder);
    QVERIFY(files.ok());
    for (const auto& p : *files) {
      QTest::newRow(p.lexically_relative(test::sharedDir()).generic_string().c_str())
          << QString::fromStdString(p.string());
    }
  }
}

void TestSmfWriter::realFilesRoundTrip() {
  QFETCH(QString, path);
  const Result<SmfFile> first = readSmfFile(path.toStdString());
  if (!first.ok()) {
    return; // refused files are covered by the reader's test
  }
  const Score& original = first->score;
  const Score back = roundTrip(original);
  QCOMPARE(back.ticksPerQuarter, original.ticksPerQuarter);
  QCOMPARE(back.tracks.size(), original.tracks.size());
  for (std::size_t i = 0; i < back.tracks.size(); ++i) {
    QCOMPARE(back.tracks[i].notes.size(), original.tracks[i].notes.size());
    QVERIFY(back.tracks[i].notes == original.tracks[i].notes);
    QVERIFY(back.tracks[i].controls == original.tracks[i].controls);
    QVERIFY(back.tracks[i].pitchBends == original.tracks[i].pitchBends);
  }
  QVERIFY(back.tempos == original.tempos);
  QVERIFY(back.timeSignatures == original.timeSignatures);
  QVERIFY(back.keySignatures == original.keySignatures);
  QVERIFY(back == original);
  // Writing is deterministic and idempotent.
  QVERIFY(writeSmf(back) == writeSmf(original));
}

void TestSmfWriter::writtenFileIsFormatOneWithRunningStatus() {
  Score s;
  s.ticksPerQuarter = 96;
  Track t;
  t.notes = {{0, 96, 60, 100}, {96, 96, 62, 100}, {192, 96, 64, 100}};
  s.tracks = {t};
  const std::vector<std::uint8_t> bytes = writeSmf(s);
  QCOMPARE(bytes[8], std::uint8_t{0});
  QCOMPARE(bytes[9], std::uint8_t{1});  // format 1
  QCOMPARE(bytes[11], std::uint8_t{2}); // conductor + one track
  // Six note events share one status byte: 3 notes x (on + off) x 3 bytes, less 5 status bytes.
  const Result<SmfFile> r = readSmf(bytes);
  QVERIFY(r.ok());
  QCOMPARE(r->format, 1);
  QVERIFY(bytes.size() < 14 + 8 + 4 + 8 + 2 + 1 + 6 * 4 + 4);
}

void TestSmfWriter::atomicWriteReplacesWholeFile() {
  test::TempFolder folder;
  const auto path = folder.path() / "piece.mid";
  test::writeBytes(path, std::vector<std::uint8_t>(100000, 0xAB)); // an older, larger file
  const Score s = handMadeScore();
  const Status written = writeSmfFile(s, path);
  QVERIFY2(written.ok(), written.ok() ? "" : written.error().describe().c_str());
  QVERIFY(test::readBytes(path) == writeSmf(s));
  // No temporary file is left beside it.
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder.path())) {
    (void)e;
    ++entries;
  }
  QCOMPARE(entries, 1);
}

void TestSmfWriter::missingFolderIsAnErrorAndWritesNothing() {
  test::TempFolder folder;
  const auto path = folder.path() / "no" / "such" / "folder" / "piece.mid";
  const Status written = writeSmfFile(handMadeScore(), path);
  QVERIFY(!written.ok());
  QCOMPARE(written.error().kind, ErrorKind::Io);
  QCOMPARE(written.error().path, path.string());
  QVERIFY(!std::filesystem::exists(path));
}

void TestSmfWriter::folderInTheWayIsAnError() {
  test::TempFolder folder;
  std::filesystem::create_directories(folder.path() / "taken.mid");
  const Status written = writeSmfFile(handMadeScore(), folder.path() / "taken.mid");
  QVERIFY(!written.ok());
  QVERIFY(std::filesystem::is_directory(folder.path() / "taken.mid"));
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder.path())) {
    (void)e;
    ++entries;
  }
  QCOMPARE(entries, 1); // no temporary left behind
}

QTEST_GUILESS_MAIN(TestSmfWriter)
#include "tst_smfwriter.moc"
