#include "phraserecorder.h"
#include "primechooser.h"

#include <QComboBox>
#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::ui;

/// What a generation continues: each source gives its music, or a sentence that says what to do.
class TestPrimeChooser : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void eachSourceGivesItsMusicOrSaysWhatIsMissing();
  void recordRowShowsOnlyForRecording();
};

namespace {

midi::Score piece(int notes, int firstPitch) {
  midi::Score s;
  s.ticksPerQuarter = 480;
  s.tracks.resize(1);
  for (int i = 0; i < notes; ++i)
    s.tracks[0].notes.push_back({i * 480, 480, static_cast<std::uint8_t>(firstPitch + i % 12), 80});
  return s;
}

} // namespace

void TestPrimeChooser::eachSourceGivesItsMusicOrSaysWhatIsMissing() {
  PrimeChooser chooser;
  auto* source = chooser.findChild<QComboBox*>(QStringLiteral("prime"));
  QVERIFY(source);
  // Nothing: no prime, and no error.
  const Result<std::optional<midi::Score>> none = chooser.prime(1);
  QVERIFY(none.ok() && !none->has_value());

  // Without sources every source that needs music says what to do first.
  source->setCurrentIndex(PrimeChooser::CorpusWindow);
  QVERIFY(!chooser.prime(1).ok());
  QVERIFY(chooser.prime(1).error().message.find("Load a corpus first") != std::string::npos);
  QCOMPARE(chooser.prime(1).error().kind, ErrorKind::NoMusic);
  source->setCurrentIndex(PrimeChooser::Selection);
  QVERIFY(chooser.prime(1).error().message.find("Select some notes") != std::string::npos);
  source->setCurrentIndex(PrimeChooser::Recording);
  QVERIFY(chooser.prime(1).error().message.find("Record a phrase") != std::string::npos);

  // With sources: the selection as it is, a window of the corpus that depends on the seed.
  std::vector<midi::Score> corpus{piece(64, 48), piece(64, 60), piece(64, 72)};
  chooser.setSources([corpus] { return corpus; }, [] { return piece(5, 60); });
  source->setCurrentIndex(PrimeChooser::Selection);
  const Result<std::optional<midi::Score>> selection = chooser.prime(1);
  QVERIFY(selection.ok() && selection->has_value());
  QCOMPARE((*selection)->noteCount(), std::size_t{5});
  source->setCurrentIndex(PrimeChooser::CorpusWindow);
  const Result<std::optional<midi::Score>> window = chooser.prime(7);
  QVERIFY(window.ok() && window->has_value());
  QVERIFY((*window)->noteCount() > 0);
  QVERIFY((*window)->noteCount() < 64);                                    // a window, not a whole piece
  QCOMPARE(chooser.prime(7)->value().noteCount(), (*window)->noteCount()); // same seed, same window
}

void TestPrimeChooser::recordRowShowsOnlyForRecording() {
  PrimeChooser chooser;
  chooser.show();
  auto* source = chooser.findChild<QComboBox*>(QStringLiteral("prime"));
  QVERIFY(!chooser.recorder()->isVisible());
  source->setCurrentIndex(PrimeChooser::Recording);
  QVERIFY(chooser.recorder()->isVisible());
  QVERIFY(!chooser.recorder()->isRecording());
  source->setCurrentIndex(PrimeChooser::NoPrime);
  QVERIFY(!chooser.recorder()->isVisible());
}

QTEST_MAIN(TestPrimeChooser)
#include "tst_primechooser.moc"
