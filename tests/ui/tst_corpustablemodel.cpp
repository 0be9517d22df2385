#include "testsupport.h"

#include "corpustablemodel.h"

#include "corpus/piecestats.h"

#include <QSortFilterProxyModel>
#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::ui;

/// The corpus as a table: one row per file, numbers that sort as numbers, a failed file in red
/// with its error as the tooltip.
class TestCorpusTableModel : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void rowsShowEachFile();
  void numbersSortAsNumbers();
};

namespace {

midi::Score notes(int count) {
  midi::Score s;
  s.ticksPerQuarter = 480;
  s.tracks.resize(1);
  for (int i = 0; i < count; ++i)
    s.tracks[0].notes.push_back({i * 480, 480, static_cast<std::uint8_t>(60 + i % 12), 80});
  return s;
}

std::shared_ptr<const corpus::Corpus> corpusWithABrokenFile() {
  corpus::Corpus c = test::memoryCorpus({notes(9), notes(150), notes(20)});
  for (corpus::CorpusFile& f : c.files)
    f.stats = corpus::measurePiece(*f.score);
  corpus::CorpusFile broken;
  broken.relativePath = "broken.mid";
  broken.path = c.root / broken.relativePath;
  broken.error = Error{ErrorKind::Truncated, broken.path.string(), 22, "The file ends inside a track."};
  c.files.push_back(std::move(broken));
  return std::make_shared<const corpus::Corpus>(std::move(c));
}

} // namespace

void TestCorpusTableModel::rowsShowEachFile() {
  CorpusTableModel model;
  QCOMPARE(model.rowCount(), 0);
  model.setCorpus(corpusWithABrokenFile());
  QCOMPARE(model.rowCount(), 4);
  QCOMPARE(model.columnCount(), int(CorpusTableModel::ColumnCount));
  QCOMPARE(model.headerData(CorpusTableModel::Notes, Qt::Horizontal, Qt::DisplayRole).toString(),
           QStringLiteral("Notes"));
  QCOMPARE(model.data(model.index(1, CorpusTableModel::Name), Qt::DisplayRole).toString(),
           QStringLiteral("piece1.mid"));
  QCOMPARE(model.data(model.index(1, CorpusTableModel::Notes), Qt::DisplayRole).toULongLong(), 150ull);
  // 150 quarters at 120 BPM: 1:15.
  QCOMPARE(model.data(model.index(1, CorpusTableModel::Duration), Qt::DisplayRole).toString(), QStringLiteral("1:15"));
  QCOMPARE(model.data(model.index(1, CorpusTableModel::Status), Qt::DisplayRole).toString(), QStringLiteral("ok"));
  // The broken file: no numbers, its error in the status and, with the path and byte, the tooltip.
  const int broken = 3;
  QCOMPARE(model.file(broken)->relativePath, std::string("broken.mid"));
  QVERIFY(!model.data(model.index(broken, CorpusTableModel::Notes), Qt::DisplayRole).isValid());
  QCOMPARE(model.data(model.index(broken, CorpusTableModel::Status), Qt::DisplayRole).toString(),
           QStringLiteral("failed: The file ends inside a track."));
  QVERIFY(model.data(model.index(broken, CorpusTableModel::Status), Qt::ToolTipRole).toString().contains("byte 22"));
  QVERIFY(model.data(model.index(broken, CorpusTableModel::Name), Qt::ForegroundRole).isValid());
  QVERIFY(!model.data(model.index(0, CorpusTableModel::Name), Qt::ForegroundRole).isValid());
  QVERIFY(model.file(4) == nullptr);
}

void TestCorpusTableModel::numbersSortAsNumbers() {
  CorpusTableModel model;
  model.setCorpus(corpusWithABrokenFile());
  QSortFilterProxyModel proxy;
  proxy.setSourceModel(&model);
  proxy.setSortRole(Qt::UserRole);
  proxy.sort(CorpusTableModel::Notes, Qt::DescendingOrder);
  // As text "9" would come first; as numbers 150, 20, 9, and the failed file (0 notes) last.
  QCOMPARE(proxy.data(proxy.index(0, CorpusTableModel::Name)).toString(), QStringLiteral("piece1.mid"));
  QCOMPARE(proxy.data(proxy.index(1, CorpusTableModel::Name)).toString(), QStringLiteral("piece2.mid"));
  QCOMPARE(proxy.data(proxy.index(2, CorpusTableModel::Name)).toString(), QStringLiteral("piece0.mid"));
  proxy.sort(CorpusTableModel::Status, Qt::DescendingOrder);
  QCOMPARE(proxy.data(proxy.index(0, CorpusTableModel::Name)).toString(), QStringLiteral("broken.mid"));
}

QTEST_MAIN(TestCorpusTableModel)
#include "tst_corpustablemodel.moc"
