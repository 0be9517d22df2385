#include "testsupport.h"

#include "corpus/corpus.h"
#include "tokenize/key.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::tokenize;

class TestKey : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void namesAndParsing();
  void normalizingShiftReachesCMajorOrAMinor();
  void keySignatures();
  void estimatesHandMadePieces_data();
  void estimatesHandMadePieces();
  void estimatesEngravedPiecesByTheirTitles();
};

namespace {

// A piece of quarter notes on the given pitches, in order, each `repeat` times.
midi::Score melody(std::initializer_list<int> pitches, int repeat = 1) {
  midi::Score s;
  midi::Track track;
  std::int64_t t = 0;
  for (int r = 0; r < repeat; ++r) {
    for (int p : pitches) {
      track.notes.push_back({t, 480, static_cast<std::uint8_t>(p), 80});
      t += 480;
    }
  }
  s.tracks = {track};
  return s;
}

} // namespace

void TestKey::namesAndParsing() {
  QCOMPARE((Key{0, false}.name()), std::string("C major"));
  QCOMPARE((Key{6, true}.name()), std::string("F# minor"));
  QCOMPARE((Key{10, false}.name()), std::string("Bb major"));
  QCOMPARE((Key{7, true}.name()), std::string("G minor"));  // two flats, the letter has none
  QCOMPARE((Key{3, true}.name()), std::string("D# minor")); // relative of F# major: sharps
  QCOMPARE(Key::parse("Eb major"), std::optional<Key>(Key{3, false}));
  QCOMPARE(Key::parse("c# minor"), std::optional<Key>(Key{1, true}));
  QCOMPARE(Key::parse("bb"), std::optional<Key>(Key{10, false}));
  QCOMPARE(Key::parse("B minor"), std::optional<Key>(Key{11, true}));
  QCOMPARE(Key::parse("F#m"), std::optional<Key>(Key{6, true}));
  QCOMPARE(Key::parse("Cb major"), std::optional<Key>(Key{11, false}));
  QVERIFY(!Key::parse("Q minor"));
  QVERIFY(!Key::parse("D dorian"));
  QVERIFY(!Key::parse(""));
  for (int i = 0; i < 24; ++i) {
    QCOMPARE(Key::fromIndex(i).index(), i);
    QCOMPARE(Key::parse(Key::fromIndex(i).name()), std::optional<Key>(Key::fromIndex(i)));
  }
}

void TestKey::normalizingShiftReachesCMajorOrAMinor() {
  for (int i = 0; i < 24; ++i) {
    const Key key = Key::fromIndex(i);
    const int shift = key.normalizingShift();
    QVERIFY(shift >= -6 && shift <= 5);
    QCOMPARE((key.tonic + shift + 12) % 12, key.minor ? 9 : 0);
  }
  QCOMPARE((Key{2, false}.normalizingShift()), -2); // D major down to C
  QCOMPARE((Key{7, false}.normalizingShift()), 5);  // G major up a fourth
  QCOMPARE((Key{4, true}.normalizingShift()), 5);   // E minor up to A minor
  QCOMPARE((Key{0, true}.normalizingShift()), -3);  // C minor down to A minor
}

void TestKey::keySignatures() {
  QCOMPARE((keySignatureSharps(Key{0, false})), 0);
  QCOMPARE((keySignatureSharps(Key{7, false})), 1);
  QCOMPARE((keySignatureSharps(Key{6, false})), 6);
  QCOMPARE((keySignatureSharps(Key{5, false})), -1);
  QCOMPARE((keySignatureSharps(Key{1, false})), -5);
  QCOMPARE((keySignatureSharps(Key{9, true})), 0);
  QCOMPARE((keySignatureSharps(Key{4, true})), 1);
  QCOMPARE((keySignatureSharps(Key{0, true})), -3);
}

void TestKey::estimatesHandMadePieces_data() {
  QTest::addColumn<midi::Score>("score");
  QTest::addColumn<QString>("key");
  QTest::newRow("C major scale and triad") << melody({60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60, 60}) << "C major";
  QTest::newRow("D major arpeggios") << melody({62, 66, 69, 74, 69, 66, 62, 61, 64, 67, 69, 62}) << "D major";
  QTest::newRow("A harmonic minor") << melody({69, 71, 72, 74, 76, 77, 80, 81, 76, 72, 69, 64, 69}) << "A minor";
  QTest::newRow("G minor triads") << melody({55, 58, 62, 67, 62, 58, 55, 54, 57, 62, 55}) << "G minor";
}

void TestKey::estimatesHandMadePieces() {
  QFETCH(midi::Score, score);
  QFETCH(QString, key);
  QCOMPARE(QString::fromStdString(estimateKey(score).name()), key);
  QCOMPARE(estimateKey(midi::Score{}), (Key{0, false})); // no notes: C major
}

void TestKey::estimatesEngravedPiecesByTheirTitles() {
  // Demo pieces whose titles name their key.
  const std::filesystem::path folder = test::sourceDir() / "resources/demo/corpus";
  const std::vector<std::pair<std::string, std::string>> known = {
      {"MozartWA-KV574-k574-k574.mid", "G major"},                      // Gigue in G Major
      {"BendaJA-Benda_SonateG3-Benda_SonateG3.mid", "G major"},         // Sonate in G-Dur
      {"MozartWA-KV401-k401-k401-lys-k401-four-hands2.mid", "G minor"}, // Fugue in G Minor
      {"BachJS-BWV827-BWV-827-BWV-827-lys-BWV-827-2.mid", "A minor"},   // Partita in A minor
  };
  const Result<corpus::Corpus> corpus = corpus::loadCorpus(folder, {});
  QVERIFY(corpus.ok());
  int checked = 0;
  for (const auto& [file, key] : known) {
    for (const corpus::CorpusFile& f : corpus->files) {
      if (f.relativePath != file || !f.score) continue;
      QCOMPARE(QString::fromStdString(file + ": " + estimateKey(*f.score).name()),
               QString::fromStdString(file + ": " + key));
      ++checked;
    }
  }
  QCOMPARE(checked, static_cast<int>(known.size()));
}

QTEST_GUILESS_MAIN(TestKey)
#include "tst_key.moc"
