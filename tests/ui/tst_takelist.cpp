#include "takelist.h"

#include "midi/score.h"
#include "midi/smfreader.h"

#include <QMimeData>
#include <QUrl>
#include <QtTest>

#include <memory>

using namespace lyrebird;
using namespace lyrebird::ui;

/// A take dragged out of the list is a .mid file a DAW can read: the take's notes, a safe name.
class TestTakeList : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aDraggedTakeIsAMidiFile();
  void nothingToDragWithoutASource();
};

namespace {

midi::Score take() {
  midi::Score s;
  s.ticksPerQuarter = 480;
  s.tempos = {{0, 500000}};
  s.tracks.resize(1);
  for (int i = 0; i < 8; ++i)
    s.tracks[0].notes.push_back({i * 240, 200, static_cast<std::uint8_t>(60 + i), static_cast<std::uint8_t>(70 + i)});
  return s;
}

} // namespace

void TestTakeList::aDraggedTakeIsAMidiFile() {
  TakeList list;
  list.addItem(QStringLiteral("Take 1"));
  list.addItem(QStringLiteral("Take 2"));
  int asked = -1;
  list.setTakeSource([&asked](int row, midi::Score& score, QString& name) {
    asked = row;
    score = take();
    name = QStringLiteral("Take 2 · seed 7/8: \"bright\"");
    return true;
  });
  QCOMPARE(list.model()->mimeTypes(), QStringList{QStringLiteral("text/uri-list")});
  const std::unique_ptr<QMimeData> mime(list.model()->mimeData({list.model()->index(1, 0)}));
  QVERIFY(mime);
  QCOMPARE(asked, 1);
  QCOMPARE(mime->urls().size(), 1);
  const QString path = mime->urls().front().toLocalFile();
  // Only letters, digits, dots, dashes, spaces and underscores in the name a DAW shows.
  QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("Take 2 _ seed 7_8_ _bright_.mid"));
  const Result<midi::SmfFile> file = midi::readSmfFile(path.toStdString());
  QVERIFY2(file.ok(), file.ok() ? "" : file.error().describe().c_str());
  QCOMPARE(file->score.noteCount(), std::size_t{8});
  std::vector<midi::Note> notes;
  for (const midi::Track& t : file->score.tracks)
    notes.insert(notes.end(), t.notes.begin(), t.notes.end());
  const midi::Score original = take();
  QCOMPARE(notes.size(), original.tracks[0].notes.size());
  for (std::size_t i = 0; i < notes.size(); ++i) {
    QCOMPARE(notes[i].pitch, original.tracks[0].notes[i].pitch);
    QCOMPARE(notes[i].velocity, original.tracks[0].notes[i].velocity);
    QCOMPARE(notes[i].startTicks * original.ticksPerQuarter / file->score.ticksPerQuarter,
             original.tracks[0].notes[i].startTicks);
  }
  QFile::remove(path);
}

void TestTakeList::nothingToDragWithoutASource() {
  TakeList list;
  list.addItem(QStringLiteral("Take 1"));
  QVERIFY(!list.model()->mimeData({list.model()->index(0, 0)}));
  // A source that has no take for the row: no drag either.
  list.setTakeSource([](int, midi::Score&, QString&) { return false; });
  QVERIFY(!list.model()->mimeData({list.model()->index(0, 0)}));
}

QTEST_MAIN(TestTakeList)
#include "tst_takelist.moc"
