#include "clisupport.h"
#include "testsupport.h"

#include "midi/smfreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace lyrebird;
using test::qpath;
using test::Run;
using test::runCli;

/// lyrebird-cli infill: bars A-B of a file written again with the bundled model.
class TestCliInfill : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void rewritesOnlyTheRegion();
  void sameSeedSameFile();
  void refusalsWriteNothing();
};

namespace {

const std::filesystem::path kPiece = std::filesystem::path(LYREBIRD_SOURCE_DIR) / "resources" / "demo" / "corpus" /
                                     "BeethovenLv-WoO59-fur_Elise_WoO59-fur_Elise_WoO59.mid";

QStringList infill(const std::filesystem::path& out, const QString& bars, const QString& seed = QStringLiteral("3")) {
  return {QStringLiteral("infill"),
          QStringLiteral("--in"),
          qpath(kPiece),
          QStringLiteral("--bars"),
          bars,
          QStringLiteral("--out"),
          qpath(out),
          QStringLiteral("--seed"),
          seed,
          QStringLiteral("--candidates"),
          QStringLiteral("4")};
}

} // namespace

void TestCliInfill::rewritesOnlyTheRegion() {
  test::TempFolder folder;
  const auto out = folder.path() / "out.mid";
  const Run run = runCli(infill(out, QStringLiteral("5-8")) + QStringList{QStringLiteral("--json")});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  const QJsonObject o = QJsonDocument::fromJson(run.out).object();
  const QJsonArray candidates = o[QStringLiteral("candidates")].toArray();
  QCOMPARE(candidates.size(), 4);
  for (int i = 0; i + 1 < candidates.size(); ++i) { // best first
    QVERIFY(candidates[i].toObject()[QStringLiteral("score")].toDouble() >=
            candidates[i + 1].toObject()[QStringLiteral("score")].toDouble());
  }
  QCOMPARE(o[QStringLiteral("written")].toInt(), 1);
  const auto start = static_cast<std::int64_t>(o[QStringLiteral("start_ticks")].toDouble());
  const auto end = static_cast<std::int64_t>(o[QStringLiteral("end_ticks")].toDouble());
  QCOMPARE(start, std::int64_t{4 * 576}); // Für Elise: 3/8 bars of 576 ticks
  QCOMPARE(end, std::int64_t{8 * 576});

  // Our reader: every note starting outside the region is where it was, as it was.
  auto outside = [&](const midi::Score& s) {
    std::vector<std::tuple<std::int64_t, std::int64_t, int>> notes;
    for (const midi::Track& t : s.tracks)
      for (const midi::Note& n : t.notes)
        if (n.startTicks < start || n.startTicks >= end) notes.emplace_back(n.startTicks, n.durationTicks, n.pitch);
    std::sort(notes.begin(), notes.end());
    return notes;
  };
  const auto before = midi::readSmfFile(kPiece);
  const auto after = midi::readSmfFile(out);
  QVERIFY(before.ok() && after.ok());
  QCOMPARE(outside(after->score), outside(before->score));
  QVERIFY(after->score.noteCount() != before->score.noteCount() || after->score.tracks != before->score.tracks);

  // python3-mido, an independent reader, agrees.
  const QString script = QStringLiteral(
      "import sys, mido\n"
      "def notes(path, start, end):\n"
      "    out = []\n"
      "    for track in mido.MidiFile(path).tracks:\n"
      "        t, on = 0, {}\n"
      "        for e in track:\n"
      "            t += e.time\n"
      "            if e.type == 'note_on' and e.velocity > 0: on.setdefault((e.channel, e.note), []).append(t)\n"
      "            elif e.type in ('note_on', 'note_off') and on.get((e.channel, e.note)):\n"
      "                s = on[(e.channel, e.note)].pop(0)\n"
      "                if s < start or s >= end: out.append((s, t - s, e.note))\n"
      "    return sorted(out)\n"
      "a = notes(sys.argv[1], int(sys.argv[3]), int(sys.argv[4]))\n"
      "b = notes(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))\n"
      "print('same' if a == b and a else 'different')\n");
  QProcess python;
  python.start(QStringLiteral("/usr/bin/python3"),
               {QStringLiteral("-c"), script, qpath(kPiece), qpath(out), QString::number(start), QString::number(end)});
  QVERIFY(python.waitForFinished(60000));
  if (python.exitCode() != 0 && python.readAllStandardError().contains("No module named")) {
    QSKIP("python3-mido is not installed (packaging/install-deps.sh installs it)");
  }
  QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("same"));
}

void TestCliInfill::sameSeedSameFile() {
  test::TempFolder folder;
  QCOMPARE(runCli(infill(folder.path() / "a.mid", QStringLiteral("9-10"))).exitCode, 0);
  QCOMPARE(runCli(infill(folder.path() / "b.mid", QStringLiteral("9-10"))).exitCode, 0);
  QCOMPARE(test::readBytes(folder.path() / "a.mid"), test::readBytes(folder.path() / "b.mid"));
}

void TestCliInfill::refusalsWriteNothing() {
  test::TempFolder folder;
  const auto out = folder.path() / "x.mid";
  for (const QString& bars :
       {QStringLiteral("8-5"), QStringLiteral("0-2"), QStringLiteral("5-9999"), QStringLiteral("five")}) {
    const Run run = runCli(infill(out, bars));
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains("bars") || run.err.contains("--bars"), run.err.constData());
    QVERIFY(!std::filesystem::exists(out));
  }
  test::TempFolder empty;
  midi::Score silent;
  silent.tracks.resize(1);
  QVERIFY(midi::writeSmfFile(silent, empty.path() / "silent.mid").ok());
  const Run noNotes = runCli({QStringLiteral("infill"), QStringLiteral("--in"), qpath(empty.path() / "silent.mid"),
                              QStringLiteral("--bars"), QStringLiteral("1-2"), QStringLiteral("--out"), qpath(out)});
  QCOMPARE(noNotes.exitCode, 2);
  QVERIFY(noNotes.err.contains("no notes"));
  QVERIFY(!std::filesystem::exists(out));
}

QTEST_GUILESS_MAIN(TestCliInfill)
#include "tst_cliinfill.moc"
