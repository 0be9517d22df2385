#include "clisupport.h"
#include "testsupport.h"

#include "midi/smfreader.h"
#include "midi/smfwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace lyrebird;

class TestCli : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void versionAndHelp();
  void unknownCommandIsAUsageError();
  void infoJsonOnAFolderWithABrokenFile();
  void infoTextOnSharedTests();
  void infoMissingFolderFails();
  void infoBadOptionIsAUsageError();
  void benchParsePrintsJson();
  void trainWritesModelAndLog();
  void trainRefusesBadInput();
  void trainFromAModel();
  void generateWithoutAModelUsesTheBundledOne();
  void generateAudioAndMidoReadsTheMidi();
  void renderAndItsRefusals();
  void playAndPortsWithoutDevices();
  void benchGeneratePrintsJson();
};

using test::qpath;
using test::Run;
using test::runCli;
using test::writeMelodies;

void TestCli::versionAndHelp() {
  const Run version = runCli({QStringLiteral("--version")});
  QCOMPARE(version.exitCode, 0);
  QVERIFY(version.out.startsWith("lyrebird-cli "));
  const Run help = runCli({QStringLiteral("--help")});
  QCOMPARE(help.exitCode, 0);
  QVERIFY(help.out.contains("info DIR"));
  const Run infoHelp = runCli({QStringLiteral("info"), QStringLiteral("--help")});
  QCOMPARE(infoHelp.exitCode, 0);
  QVERIFY(infoHelp.out.contains("--json"));
}

void TestCli::unknownCommandIsAUsageError() {
  const Run run = runCli({QStringLiteral("compose-symphony")});
  QCOMPARE(run.exitCode, 2);
  QVERIFY(run.err.contains("unknown command"));
}

void TestCli::infoJsonOnAFolderWithABrokenFile() {
  test::TempFolder folder;
  midi::Score score;
  midi::Track track;
  track.notes = {{0, 480, 60, 100}, {480, 480, 64, 100}, {960, 960, 67, 100}};
  score.tracks = {track};
  QVERIFY(midi::writeSmfFile(score, folder.path() / "good.mid").ok());
  QVERIFY(midi::writeSmfFile(score, folder.path() / "also good.MID").ok());
  test::writeBytes(folder.path() / "broken.mid", {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 9, 0, 1, 0, 96});

  const Run run = runCli({QStringLiteral("info"), qpath(folder.path()), QStringLiteral("--json")});
  QCOMPARE(run.exitCode, 0);
  QJsonParseError parseError{};
  const QJsonDocument doc = QJsonDocument::fromJson(run.out, &parseError);
  QVERIFY2(parseError.error == QJsonParseError::NoError, run.out.constData());
  const QJsonObject o = doc.object();
  QCOMPARE(o[QStringLiteral("files")].toInt(), 3);
  QCOMPARE(o[QStringLiteral("loaded")].toInt(), 2);
  QCOMPARE(o[QStringLiteral("notes")].toInt(), 6);
  QCOMPARE(o[QStringLiteral("seconds")].toDouble(), 2.0 * 2.0); // 4 quarters at 120 BPM each
  const QJsonArray failed = o[QStringLiteral("failed")].toArray();
  QCOMPARE(failed.size(), 1);
  QCOMPARE(failed[0].toObject()[QStringLiteral("path")].toString(), QStringLiteral("broken.mid"));
  QCOMPARE(failed[0].toObject()[QStringLiteral("kind")].toString(), QStringLiteral("bad-header"));
  QVERIFY(failed[0].toObject()[QStringLiteral("error")].toString().contains(u"format 9"));
  QCOMPARE(o[QStringLiteral("pitch_min")].toInt(), 60);
  QCOMPARE(o[QStringLiteral("pitch_max")].toInt(), 67);
}

void TestCli::infoTextOnSharedTests() {
  LYREBIRD_REQUIRE_SHARED();
  const Run run = runCli({QStringLiteral("info"), qpath(test::sharedDir() / "midi-tests")});
  QCOMPARE(run.exitCode, 0);
  QVERIFY(run.out.contains("134 MIDI files, 127 loaded, 7 failed"));
  QVERIFY(run.out.contains("Failed files:"));
  QVERIFY(run.out.contains("test-empty-file.mid: The file is empty."));
}

void TestCli::infoMissingFolderFails() {
  const Run run = runCli({QStringLiteral("info"), QStringLiteral("/nonexistent/lyrebird/folder")});
  QCOMPARE(run.exitCode, 1);
  QVERIFY(run.err.contains("/nonexistent/lyrebird/folder"));
  QVERIFY(run.err.contains("does not exist"));
  QVERIFY(run.out.isEmpty());
}

void TestCli::infoBadOptionIsAUsageError() {
  QCOMPARE(runCli({QStringLiteral("info")}).exitCode, 2);
  QCOMPARE(runCli({QStringLiteral("info"), QStringLiteral("."), QStringLiteral("--threads"), QStringLiteral("many")})
               .exitCode,
           2);
  QCOMPARE(runCli({QStringLiteral("info"), QStringLiteral("."), QStringLiteral("--frobnicate")}).exitCode, 2);
}

void TestCli::benchParsePrintsJson() {
  test::TempFolder folder;
  midi::Score score;
  midi::Track track;
  track.notes = {{0, 480, 60, 100}};
  score.tracks = {track};
  for (int i = 0; i < 5; ++i)
    QVERIFY(midi::writeSmfFile(score, folder.path() / ("f" + std::to_string(i) + ".mid")).ok());
  const Run run = runCli({QStringLiteral("bench"), QStringLiteral("parse"), qpath(folder.path()),
                          QStringLiteral("--repeat"), QStringLiteral("2")});
  QCOMPARE(run.exitCode, 0);
  const QJsonObject o = QJsonDocument::fromJson(run.out).object();
  for (const char* key : {"files", "bytes", "notes", "seconds", "files_per_s", "mb_per_s"}) {
    QVERIFY2(o.contains(QLatin1String(key)), key);
  }
  QCOMPARE(o[QStringLiteral("files")].toInt(), 5);
  QCOMPARE(o[QStringLiteral("notes")].toInt(), 5);
  QVERIFY(o[QStringLiteral("seconds")].toDouble() > 0.0);
  QVERIFY(o[QStringLiteral("files_per_s")].toDouble() > 0.0);
}

void TestCli::trainWritesModelAndLog() {
  test::TempFolder folder;
  writeMelodies(folder.path(), 5);
  const auto model = folder.path() / "out" / "tiny.lyrebird";
  std::filesystem::create_directories(model.parent_path());
  const auto log = folder.path() / "out" / "metrics.csv";
  const QStringList tiny = {QStringLiteral("--hidden"), QStringLiteral("16"),    QStringLiteral("--layers"),
                            QStringLiteral("1"),        QStringLiteral("--seq"), QStringLiteral("16"),
                            QStringLiteral("--batch"),  QStringLiteral("4")};
  const auto exported = folder.path() / "out" / "tiny-export.lyrebird";
  const Run run =
      runCli(QStringList{QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()),
                         QStringLiteral("--out"), qpath(model), QStringLiteral("--epochs"), QStringLiteral("1"),
                         QStringLiteral("--log"), qpath(log), QStringLiteral("--export"), qpath(exported)} +
             tiny);
  QVERIFY2(run.exitCode == 0, run.err.constData());
  QVERIFY(run.out.contains("Saved"));
  QVERIFY(run.err.contains("epoch 1/1 done"));
  QVERIFY(std::filesystem::exists(model));
  QVERIFY(std::filesystem::exists(folder.path() / "out" / "tiny.best.lyrebird"));
  const test::Bytes csv = test::readBytes(log);
  const QByteArray text(reinterpret_cast<const char*>(csv.data()), static_cast<qsizetype>(csv.size()));
  QVERIFY(text.startsWith("epoch,step,kind,train_loss,train_acc,train_top5,valid_loss,valid_acc"));
  QVERIFY(text.contains("tokens_per_s"));
  QVERIFY(text.count('\n') >= 2);
  // The model Generate gets had its repeat setting measured on the music it learned; the export keeps it.
  QVERIFY2(run.out.contains("Repeat <-> vary"), run.out.constData());
  // The exported model has no optimizer state: smaller, generates, cannot be resumed.
  QVERIFY(run.out.contains("Exported"));
  QVERIFY(std::filesystem::file_size(exported) < std::filesystem::file_size(model));
  test::TempFolder elsewhere; // not inside the training folder, whose music must stay the same
  const Run fromExport =
      runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(exported), QStringLiteral("--out"),
              qpath(elsewhere.path() / "from-export.mid"), QStringLiteral("--length"), QStringLiteral("50tokens")});
  QCOMPARE(fromExport.exitCode, 0);
  QVERIFY2(fromExport.out.contains("measured on its music") || fromExport.err.contains("measured on its music"),
           fromExport.out.constData());
  const Run resumeExport =
      runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()), QStringLiteral("--out"),
              qpath(exported), QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--resume")});
  QCOMPARE(resumeExport.exitCode, 1);
  QVERIFY(resumeExport.err.contains("exported for generating"));

  // Resume to a second epoch: the log grows, the same file is updated.
  const Run more =
      runCli(QStringList{QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()),
                         QStringLiteral("--out"), qpath(model), QStringLiteral("--epochs"), QStringLiteral("2"),
                         QStringLiteral("--resume"), QStringLiteral("--log"), qpath(log)});
  QVERIFY2(more.exitCode == 0, more.err.constData());
  QVERIFY(more.err.contains("epoch 2/2 done"));

  // `calibrate` measures it again (here with 2 takes a probe) and says so; bad input is a usage error.
  const Run calibrated =
      runCli({QStringLiteral("calibrate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--data"),
              qpath(folder.path()), QStringLiteral("--takes"), QStringLiteral("2")});
  QVERIFY2(calibrated.exitCode == 0, calibrated.err.constData());
  QVERIFY(calibrated.out.contains("Repeat <-> vary"));
  QVERIFY(calibrated.out.contains("2 takes of 30 s"));
  QCOMPARE(runCli({QStringLiteral("calibrate"), QStringLiteral("--model"), qpath(model)}).exitCode, 2);
  QCOMPARE(runCli({QStringLiteral("calibrate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--data"),
                   qpath(folder.path()), QStringLiteral("--takes"), QStringLiteral("0")})
               .exitCode,
           2);
  const Run notAModel = runCli({QStringLiteral("calibrate"), QStringLiteral("--model"), qpath(log),
                                QStringLiteral("--data"), qpath(folder.path())});
  QCOMPARE(notAModel.exitCode, 1);
  QVERIFY(notAModel.err.contains("not a Lyrebird model"));

  // Generate from it: two variations in a key, and clear refusals.
  const auto piece = folder.path() / "out" / "piece.mid";
  const Run generated = runCli(
      {QStringLiteral("generate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--out"), qpath(piece),
       QStringLiteral("--length"), QStringLiteral("200tokens"), QStringLiteral("--key"), QStringLiteral("C major"),
       QStringLiteral("--variations"), QStringLiteral("2"), QStringLiteral("--seed"), QStringLiteral("5")});
  QVERIFY2(generated.exitCode == 0, generated.err.constData());
  QVERIFY(std::filesystem::exists(folder.path() / "out" / "piece-1.mid"));
  QVERIFY(std::filesystem::exists(folder.path() / "out" / "piece-2.mid"));
  QVERIFY(midi::readSmfFile(folder.path() / "out" / "piece-1.mid").ok());
  const Run unwritable = runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(model),
                                 QStringLiteral("--out"), qpath(folder.path() / "no" / "such" / "x.mid")});
  QCOMPARE(unwritable.exitCode, 1);
  QVERIFY(unwritable.err.contains("does not exist"));
  const Run foreign = runCli(
      {QStringLiteral("generate"), QStringLiteral("--model"), qpath(log), QStringLiteral("--out"), qpath(piece)});
  QCOMPARE(foreign.exitCode, 1);
  QVERIFY(foreign.err.contains("not a Lyrebird model"));
  const Run badKey =
      runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--out"),
              qpath(piece), QStringLiteral("--key"), QStringLiteral("Q minor")});
  QCOMPARE(badKey.exitCode, 2);
}

void TestCli::trainRefusesBadInput() {
  test::TempFolder folder;
  const QString out = qpath(folder.path() / "m.lyrebird");
  const Run noData = runCli({QStringLiteral("train"), QStringLiteral("--out"), out});
  QCOMPARE(noData.exitCode, 2);
  const Run badPreset = runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()),
                                QStringLiteral("--out"), out, QStringLiteral("--preset"), QStringLiteral("bach")});
  QCOMPARE(badPreset.exitCode, 2);
  QVERIFY(badPreset.err.contains("seed-stacked"));
  const Run badNumber = runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()),
                                QStringLiteral("--out"), out, QStringLiteral("--lr"), QStringLiteral("fast")});
  QCOMPARE(badNumber.exitCode, 2);
  const Run empty =
      runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()), QStringLiteral("--out"), out});
  QCOMPARE(empty.exitCode, 1);
  QVERIFY(empty.err.contains("nothing to learn from"));
  QVERIFY(!std::filesystem::exists(folder.path() / "m.lyrebird"));
  writeMelodies(folder.path(), 2);
  const Run tooShort = runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(folder.path()),
                               QStringLiteral("--out"), out, QStringLiteral("--seq"), QStringLiteral("50000")});
  QCOMPARE(tooShort.exitCode, 1);
  QVERIFY(tooShort.err.contains("long enough"));
}

namespace {

bool isWav(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return false;
  const test::Bytes bytes = test::readBytes(path);
  return bytes.size() > 1000 && std::equal(bytes.begin(), bytes.begin() + 4, "RIFF") &&
         std::equal(bytes.begin() + 8, bytes.begin() + 12, "WAVE");
}

// A tiny model trained for one epoch, for the generation tests.
// Its corpus is folder/corpus.
std::filesystem::path tinyModel(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder / "corpus");
  writeMelodies(folder / "corpus", 4);
  const auto model = folder / "tiny.lyrebird";
  const Run run =
      runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(folder / "corpus"), QStringLiteral("--out"),
              qpath(model), QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--hidden"),
              QStringLiteral("16"), QStringLiteral("--layers"), QStringLiteral("1"), QStringLiteral("--seq"),
              QStringLiteral("16"), QStringLiteral("--batch"), QStringLiteral("4")});
  if (run.exitCode != 0) qWarning("%s", run.err.constData());
  return model;
}

} // namespace

void TestCli::trainFromAModel() {
  test::TempFolder base;
  writeMelodies(base.path(), 4);
  test::TempFolder other;
  writeMelodies(other.path(), 6);
  test::TempFolder out;
  const auto baseModel = out.path() / "base.lyrebird";
  const QStringList tiny = {QStringLiteral("--hidden"), QStringLiteral("16"),    QStringLiteral("--layers"),
                            QStringLiteral("1"),        QStringLiteral("--seq"), QStringLiteral("16"),
                            QStringLiteral("--batch"),  QStringLiteral("4")};
  const Run trained =
      runCli(QStringList{QStringLiteral("train"), QStringLiteral("--data"), qpath(base.path()), QStringLiteral("--out"),
                         qpath(baseModel), QStringLiteral("--epochs"), QStringLiteral("1")} +
             tiny);
  QVERIFY2(trained.exitCode == 0, trained.err.constData());

  const QStringList fromBase = {QStringLiteral("train"), QStringLiteral("--data"), qpath(other.path()),
                                QStringLiteral("--from"), qpath(baseModel)};
  const auto tunedModel = out.path() / "tuned.lyrebird";
  const Run tuned = runCli(fromBase + QStringList{QStringLiteral("--out"), qpath(tunedModel),
                                                  QStringLiteral("--epochs"), QStringLiteral("1")});
  QVERIFY2(tuned.exitCode == 0, tuned.err.constData());
  QVERIFY(tuned.err.contains("Starting from base.lyrebird"));
  QVERIFY(tuned.err.contains("before training (the model started from, on this folder)"));
  QVERIFY(tuned.err.contains("epoch 1/1 done"));
  const Run generated =
      runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(tunedModel), QStringLiteral("--out"),
              qpath(out.path() / "take.mid"), QStringLiteral("--length"), QStringLiteral("50tokens")});
  QVERIFY2(generated.exitCode == 0, generated.err.constData());
  QVERIFY2(generated.err.contains(" from base ("), generated.err.constData()); // the model line names its base

  // Refused: what would change the network, resuming at once, a model that is not there.
  const Run wider = runCli(fromBase + QStringList{QStringLiteral("--out"), qpath(out.path() / "w.lyrebird"),
                                                  QStringLiteral("--hidden"), QStringLiteral("32")});
  QCOMPARE(wider.exitCode, 2);
  QVERIFY(wider.err.contains("--hidden would change the network"));
  const Run both =
      runCli(fromBase + QStringList{QStringLiteral("--out"), qpath(tunedModel), QStringLiteral("--resume")});
  QCOMPARE(both.exitCode, 2);
  QVERIFY(both.err.contains("exclude each other"));
  const Run missing =
      runCli({QStringLiteral("train"), QStringLiteral("--data"), qpath(other.path()), QStringLiteral("--from"),
              qpath(out.path() / "none.lyrebird"), QStringLiteral("--out"), qpath(out.path() / "n.lyrebird")});
  QCOMPARE(missing.exitCode, 1);
  QVERIFY(!std::filesystem::exists(out.path() / "n.lyrebird"));
}

void TestCli::generateWithoutAModelUsesTheBundledOne() {
  test::TempFolder out;
  const Run run = runCli({QStringLiteral("generate"), QStringLiteral("--out"), qpath(out.path() / "piece.mid"),
                          QStringLiteral("--length"), QStringLiteral("4s")});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  QVERIFY2(run.err.contains("model: grid tokens"), run.err.constData()); // the bundled model's line
  const Result<midi::SmfFile> piece = midi::readSmfFile(out.path() / "piece.mid");
  QVERIFY(piece.ok());
  QVERIFY(piece->score.noteCount() > 0);
  const Run noOut = runCli({QStringLiteral("generate")});
  QCOMPARE(noOut.exitCode, 2);
  QVERIFY(noOut.err.contains("give --out OUT.mid"));
}

void TestCli::generateAudioAndMidoReadsTheMidi() {
  test::TempFolder folder;
  const auto model = tinyModel(folder.path());
  QVERIFY(std::filesystem::exists(model));
  const auto piece = folder.path() / "take.mid";
  const auto audio = folder.path() / "take.wav";
  const Run run =
      runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--out"),
              qpath(piece), QStringLiteral("--wav"), qpath(audio), QStringLiteral("--length"), QStringLiteral("4s"),
              QStringLiteral("--polyphony"), QStringLiteral("3"), QStringLiteral("--program"), QStringLiteral("40"),
              QStringLiteral("--tempo"), QStringLiteral("90"), QStringLiteral("--prime-corpus"),
              qpath(folder.path() / "corpus"), QStringLiteral("--seed"), QStringLiteral("4")});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  QVERIFY(isWav(audio));
  const auto ours = midi::readSmfFile(piece);
  QVERIFY(ours.ok());
  QVERIFY(ours->score.noteCount() > 0);
  QCOMPARE(ours->score.tracks[0].program, std::uint8_t{40});
  QCOMPARE(ours->score.tempos.front().microsecondsPerQuarter, 666667u);

  // python3-mido, an independent reader, sees the same notes.
  QProcess python;
  python.start(QStringLiteral("/usr/bin/python3"),
               {QStringLiteral("-c"),
                QStringLiteral("import sys, mido\n"
                               "m = mido.MidiFile(sys.argv[1])\n"
                               "print(sum(1 for t in m.tracks for e in t if e.type == 'note_on' and e.velocity > 0))"),
                qpath(piece)});
  QVERIFY(python.waitForFinished(60000));
  if (python.exitCode() != 0 && python.readAllStandardError().contains("No module named")) {
    QSKIP("python3-mido is not installed (packaging/install-deps.sh installs it)");
  }
  QCOMPARE(python.exitCode(), 0);
  QCOMPARE(python.readAllStandardOutput().trimmed().toULongLong(), static_cast<qulonglong>(ours->score.noteCount()));

  // The same seed and settings: the same file, byte for byte.
  const auto again = folder.path() / "again.mid";
  QCOMPARE(runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(model), QStringLiteral("--out"),
                   qpath(again), QStringLiteral("--length"), QStringLiteral("4s"), QStringLiteral("--polyphony"),
                   QStringLiteral("3"), QStringLiteral("--program"), QStringLiteral("40"), QStringLiteral("--tempo"),
                   QStringLiteral("90"), QStringLiteral("--prime-corpus"), qpath(folder.path() / "corpus"),
                   QStringLiteral("--seed"), QStringLiteral("4")})
               .exitCode,
           0);
  QCOMPARE(test::readBytes(again), test::readBytes(piece));

  // A missing SoundFont fails before any file is written.
  const auto noAudio = folder.path() / "none.wav";
  const Run badFont = runCli({QStringLiteral("generate"), QStringLiteral("--model"), qpath(model),
                              QStringLiteral("--out"), qpath(folder.path() / "none.mid"), QStringLiteral("--wav"),
                              qpath(noAudio), QStringLiteral("--soundfont"), qpath(folder.path() / "missing.sf2")});
  QCOMPARE(badFont.exitCode, 1);
  QVERIFY(badFont.err.contains("SoundFont"));
  QVERIFY(!std::filesystem::exists(noAudio));
  QVERIFY(!std::filesystem::exists(folder.path() / "none.mid"));
}

void TestCli::renderAndItsRefusals() {
  test::TempFolder folder;
  writeMelodies(folder.path(), 1);
  const auto in = folder.path() / "m0.mid";
  const auto out = folder.path() / "m0.flac";
  const Run run = runCli(
      {QStringLiteral("render"), qpath(in), qpath(out), QStringLiteral("--sample-rate"), QStringLiteral("48000")});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  QVERIFY(run.out.contains("x real time"));
  const test::Bytes flac = test::readBytes(out);
  QVERIFY(flac.size() > 1000 && std::equal(flac.begin(), flac.begin() + 4, "fLaC"));

  const Run badExtension = runCli({QStringLiteral("render"), qpath(in), qpath(folder.path() / "x.mp3")});
  QCOMPARE(badExtension.exitCode, 2);
  QVERIFY(badExtension.err.contains(".wav, .flac or .ogg"));
  const Run unwritable = runCli({QStringLiteral("render"), qpath(in), qpath(folder.path() / "no" / "x.wav")});
  QCOMPARE(unwritable.exitCode, 1);
  QVERIFY(!std::filesystem::exists(folder.path() / "no"));
  const Run foreign = runCli({QStringLiteral("render"), qpath(out), qpath(folder.path() / "y.wav")});
  QCOMPARE(foreign.exitCode, 1);
  QVERIFY(!std::filesystem::exists(folder.path() / "y.wav"));
  const Run notAFont = runCli(
      {QStringLiteral("render"), qpath(in), qpath(folder.path() / "z.wav"), QStringLiteral("--soundfont"), qpath(in)});
  QCOMPARE(notAFont.exitCode, 1);
  QVERIFY(notAFont.err.contains("not a SoundFont"));
  QCOMPARE(runCli({QStringLiteral("render"), qpath(in)}).exitCode, 2);
}

void TestCli::playAndPortsWithoutDevices() {
  test::TempFolder folder;
  writeMelodies(folder.path(), 1);
  if (!std::filesystem::exists("/dev/snd")) {
    const Run play = runCli({QStringLiteral("play"), qpath(folder.path() / "m0.mid")});
    QCOMPARE(play.exitCode, 1);
    QVERIFY(play.err.contains("No audio device"));
    QVERIFY(!play.err.contains("ALSA lib")); // ALSA's own noise stays out of the terminal
  }
  if (!std::filesystem::exists("/dev/snd/seq")) {
    const Run ports = runCli({QStringLiteral("ports")});
    QCOMPARE(ports.exitCode, 1);
    QVERIFY(ports.err.contains("MIDI is not available"));
    QVERIFY(!ports.err.contains("\n\n")); // RtMidi's own print is not repeated
  }
}

void TestCli::benchGeneratePrintsJson() {
  const Run run =
      runCli({QStringLiteral("bench"), QStringLiteral("generate"), QStringLiteral("--hidden"), QStringLiteral("32"),
              QStringLiteral("--vocab"), QStringLiteral("50"), QStringLiteral("--tokens"), QStringLiteral("100"),
              QStringLiteral("--repeat"), QStringLiteral("1"), QStringLiteral("--prime"), QStringLiteral("10")});
  QVERIFY2(run.exitCode == 0, run.err.constData());
  const QJsonObject o = QJsonDocument::fromJson(run.out).object();
  QVERIFY(o[QStringLiteral("tokens_per_s")].toDouble() > 0.0);
  QVERIFY(o[QStringLiteral("first_token_ms")].toDouble() > 0.0);
  QCOMPARE(o[QStringLiteral("vocab")].toInt(), 50);
  QCOMPARE(o[QStringLiteral("precision")].toString(), QStringLiteral("half"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"