#include "testsupport.h"

#include "corpus/corpus.h"
#include "midi/smfwriter.h"

#include <QtTest>

#include <stop_token>

using namespace lyrebird;
using namespace lyrebird::corpus;

class TestCorpus : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void sharedCorporaLoad_data();
  void sharedCorporaLoad();
  void drumsCanBeIncluded();
  void brokenFilesAreReportedAndTheRestLoads();
  void extensionsInAnyCase();
  void progressReachesTheTotal();
  void cancellationStopsBetweenFiles();
  void missingFolder();
  void fileInsteadOfFolder();
  void emptyFolder();
  void sameResultWithOneOrManyThreads();
};

namespace {

midi::Score scoreWithNotes(int count, std::uint8_t channel = 0) {
  midi::Score s;
  midi::Track t;
  t.channel = channel;
  t.isDrum = channel == 9;
  for (int i = 0; i < count; ++i) {
    t.notes.push_back({i * 480, 480, static_cast<std::uint8_t>(60 + i % 12), 100});
  }
  s.tracks = {t};
  return s;
}

void writeScore(const std::filesystem::path& path, const midi::Score& score) {
  std::filesystem::create_directories(path.parent_path());
  QVERIFY(midi::writeSmfFile(score, path).ok());
}

} // namespace

void TestCorpus::sharedCorporaLoad_data() {
  LYREBIRD_REQUIRE_SHARED();
  QTest::addColumn<QString>("folder");
  QTest::addColumn<int>("files");
  QTest::addColumn<int>("notesInFiles");
  QTest::addColumn<int>("drumNotes");
  QTest::addColumn<double>("seconds");
  // Reference values from python3-mido over the same files: note-on messages with
  // velocity > 0, and the sum over files of the time of the last pitched note-off. Where
  // a file leaves notes sounding (mutopia: 1 file, final-fantasy: 10), Lyrebird ends them
  // with their track, so its durations are a little longer there and are only bounded.
  QTest::newRow("piano-midi-de") << "piano-midi-de" << 337 << 794411 << 0 << 80312.737181104;
  QTest::newRow("nottingham") << "nottingham" << 3089 << 712532 << 0 << 208229.25;
  QTest::newRow("jsb-chorales") << "jsb-chorales" << 382 << 82722 << 0 << 13880.4;
  QTest::newRow("mutopia-keyboard") << "mutopia-keyboard" << 578 << 495931 << 0 << -69359.12;
  QTest::newRow("final-fantasy-piano") << "final-fantasy-piano" << 92 << 84278 << 571 << -12303.46;
}

void TestCorpus::sharedCorporaLoad() {
  QFETCH(QString, folder);
  QFETCH(int, files);
  QFETCH(int, notesInFiles);
  QFETCH(int, drumNotes);
  QFETCH(double, seconds);
  const Result<Corpus> loaded = loadCorpus(test::sharedDir() / "data" / folder.toStdString());
  QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().describe().c_str());
  const CorpusStats& s = loaded->stats;
  QCOMPARE(static_cast<int>(s.files), files);
  QCOMPARE(static_cast<int>(s.loaded), files);
  QCOMPARE(static_cast<int>(s.failed), 0);
  QCOMPARE(static_cast<int>(s.notesInFiles), notesInFiles);
  QCOMPARE(static_cast<int>(s.drumNotes), drumNotes);
  QCOMPARE(static_cast<int>(s.notes), notesInFiles - drumNotes); // drums excluded by default
  if (seconds > 0) {
    QVERIFY2(qAbs(s.seconds - seconds) < 1e-6, qPrintable(QString::number(s.seconds, 'f', 9)));
  } else {
    QVERIFY2(s.seconds >= -seconds && s.seconds < -seconds + 1.0, qPrintable(QString::number(s.seconds, 'f', 9)));
  }
  QVERIFY(s.minPitch >= 0 && s.minPitch < s.maxPitch && s.maxPitch <= 127);
  QVERIFY(s.meanPolyphony >= 1.0 && s.meanPolyphony < 10.0);
  QVERIFY(s.tracks >= s.loaded);
  for (const CorpusFile& f : loaded->files) {
    QVERIFY(f.score.has_value());
    QVERIFY(!f.relativePath.empty() && f.relativePath.front() != '/');
    for (const midi::Track& t : f.score->tracks)
      QVERIFY(!t.isDrum);
  }
  QVERIFY(std::is_sorted(loaded->files.begin(), loaded->files.end(),
                         [](const CorpusFile& a, const CorpusFile& b) { return a.path < b.path; }));
}

void TestCorpus::drumsCanBeIncluded() {
  LYREBIRD_REQUIRE_SHARED();
  LoadOptions options;
  options.includeDrums = true;
  const Result<Corpus> loaded = loadCorpus(test::sharedDir() / "data/final-fantasy-piano", options);
  QVERIFY(loaded.ok());
  QCOMPARE(loaded->stats.notes, std::size_t{84278});
  QCOMPARE(loaded->stats.drumNotes, std::size_t{571});
  QVERIFY(qAbs(loaded->stats.drumShare() - 571.0 / 84278.0) < 1e-12);
  QVERIFY(loaded->includesDrums);
}

void TestCorpus::brokenFilesAreReportedAndTheRestLoads() {
  LYREBIRD_REQUIRE_SHARED();
  const Result<Corpus> loaded = loadCorpus(test::sharedDir() / "midi-tests");
  QVERIFY(loaded.ok());
  const CorpusStats& s = loaded->stats;
  // 134 .mid files; those refused are listed in tests/data/midi-tests-expected.tsv.
  QCOMPARE(s.files, std::size_t{134});
  QCOMPARE(s.failed, std::size_t{7});
  QCOMPARE(s.loaded, std::size_t{127});
  for (const CorpusFile& f : loaded->files) {
    if (f.error) {
      QVERIFY(!f.error->message.empty());
      QCOMPARE(f.error->path, f.path.string());
      QVERIFY(!f.score.has_value());
    } else {
      QVERIFY(f.score.has_value());
    }
  }
  QVERIFY(s.withWarnings >= 15);
}

void TestCorpus::extensionsInAnyCase() {
  test::TempFolder folder;
  const midi::Score s = scoreWithNotes(3);
  for (const char* name : {"a.mid", "b.MID", "c.Midi", "sub/d.kar", "sub/deeper/e.RMI"}) {
    writeScore(folder.path() / name, s);
  }
  test::writeBytes(folder.path() / "notes.txt", {'h', 'i'});
  test::writeBytes(folder.path() / "f.mid.bak", {'M', 'T', 'h', 'd'});
  const Result<Corpus> loaded = loadCorpus(folder.path());
  QVERIFY(loaded.ok());
  QCOMPARE(loaded->stats.files, std::size_t{5});
  QCOMPARE(loaded->stats.notes, std::size_t{15});
  QCOMPARE(loaded->files[3].relativePath, std::string("sub/d.kar"));
  QCOMPARE(loaded->files[4].relativePath, std::string("sub/deeper/e.RMI"));
}

void TestCorpus::progressReachesTheTotal() {
  test::TempFolder folder;
  for (int i = 0; i < 40; ++i)
    writeScore(folder.path() / ("p" + std::to_string(i) + ".mid"), scoreWithNotes(50));
  test::writeBytes(folder.path() / "broken.mid", {'n', 'o', 'p', 'e'});
  std::vector<LoadProgress> seen;
  LoadOptions options;
  options.progress = [&](const LoadProgress& p) { seen.push_back(p); };
  const Result<Corpus> loaded = loadCorpus(folder.path(), options);
  QVERIFY(loaded.ok());
  QVERIFY(!seen.empty());
  QCOMPARE(seen.back().done, std::size_t{41});
  QCOMPARE(seen.back().total, std::size_t{41});
  QCOMPARE(seen.back().failed, std::size_t{1});
  for (std::size_t i = 1; i < seen.size(); ++i)
    QVERIFY(seen[i].done >= seen[i - 1].done);
}

void TestCorpus::cancellationStopsBetweenFiles() {
  test::TempFolder folder;
  // ~12 MB: far more than one thread parses before the first progress report (50 ms).
  const midi::Score big = scoreWithNotes(3000);
  for (int i = 0; i < 1000; ++i)
    writeScore(folder.path() / ("p" + std::to_string(i) + ".mid"), big);
  std::stop_source stop;
  stop.request_stop(); // cancelled before the first file
  const Result<Corpus> cancelled = loadCorpus(folder.path(), {}, stop.get_token());
  QVERIFY(!cancelled.ok());
  QCOMPARE(cancelled.error().kind, ErrorKind::Cancelled);

  // Cancelled from the progress callback while loading: returns promptly, as cancelled.
  std::stop_source midway;
  LoadOptions options;
  options.threads = 1;
  options.progress = [&](const LoadProgress& p) {
    if (p.done > 0) midway.request_stop();
  };
  const Result<Corpus> partial = loadCorpus(folder.path(), options, midway.get_token());
  if (partial.ok()) {
    QSKIP("the machine loaded all files before the first progress report");
  }
  QCOMPARE(partial.error().kind, ErrorKind::Cancelled);
}

void TestCorpus::missingFolder() {
  const Result<Corpus> loaded = loadCorpus("/nonexistent/lyrebird/corpus");
  QVERIFY(!loaded.ok());
  QCOMPARE(loaded.error().kind, ErrorKind::NotFound);
  QCOMPARE(loaded.error().path, std::string("/nonexistent/lyrebird/corpus"));
}

void TestCorpus::fileInsteadOfFolder() {
  test::TempFolder folder;
  writeScore(folder.path() / "one.mid", scoreWithNotes(1));
  const Result<Corpus> loaded = loadCorpus(folder.path() / "one.mid");
  QVERIFY(!loaded.ok());
  QCOMPARE(loaded.error().kind, ErrorKind::Io);
}

void TestCorpus::emptyFolder() {
  test::TempFolder folder;
  const Result<Corpus> loaded = loadCorpus(folder.path());
  QVERIFY(loaded.ok());
  QCOMPARE(loaded->stats.files, std::size_t{0});
  QCOMPARE(loaded->stats.meanPolyphony, 0.0);
}

void TestCorpus::sameResultWithOneOrManyThreads() {
  LYREBIRD_REQUIRE_SHARED();
  LoadOptions one;
  one.threads = 1;
  LoadOptions many;
  many.threads = 5;
  const Result<Corpus> a = loadCorpus(test::sharedDir() / "data/jsb-chorales", one);
  const Result<Corpus> b = loadCorpus(test::sharedDir() / "data/jsb-chorales", many);
  QVERIFY(a.ok() && b.ok());
  QCOMPARE(a->files.size(), b->files.size());
  for (std::size_t i = 0; i < a->files.size(); ++i) {
    QCOMPARE(a->files[i].relativePath, b->files[i].relativePath);
    QVERIFY(a->files[i].score == b->files[i].score);
  }
  QCOMPARE(a->stats.seconds, b->stats.seconds);
}

QTEST_GUILESS_MAIN(TestCorpus)
#include "tst_corpus.moc"
