// Data-parallel training through the command line: ranks are real processes that meet on
// loopback (ports chosen free at run time), as they would on several hosts.
#include "testsupport.h"

#include "midi/smfwriter.h"
#include "train/checkpoint.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace lyrebird;

namespace {

QString qpath(const std::filesystem::path& p) {
  return QString::fromStdString(p.string());
}

/// A TCP port nobody listens on now (the kernel's choice for port 0).
int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

void writeMelodies(const std::filesystem::path& folder, int files) {
  const int melody[] = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65};
  for (int f = 0; f < files; ++f) {
    midi::Score score;
    midi::Track track;
    for (int i = 0; i < 96; ++i) {
      track.notes.push_back({i * 240, 120 + 60 * (i % 3), static_cast<std::uint8_t>(melody[(i + f) % 12] + f % 3),
                             static_cast<std::uint8_t>(60 + 5 * (i % 7))});
    }
    score.tracks = {track};
    QVERIFY(midi::writeSmfFile(score, folder / ("m" + std::to_string(f) + ".mid")).ok());
  }
}

/// A tiny model without dropout (dropout masks are drawn per rank), with transposition.
QStringList tinyTraining(const std::filesystem::path& data, const std::filesystem::path& out) {
  return {QStringLiteral("train"),
          QStringLiteral("--data"),
          qpath(data),
          QStringLiteral("--out"),
          qpath(out),
          QStringLiteral("--hidden"),
          QStringLiteral("24"),
          QStringLiteral("--layers"),
          QStringLiteral("2"),
          QStringLiteral("--seq"),
          QStringLiteral("24"),
          QStringLiteral("--batch"),
          QStringLiteral("7"),
          QStringLiteral("--dropout"),
          QStringLiteral("0"),
          QStringLiteral("--transpose"),
          QStringLiteral("2"),
          QStringLiteral("--seed"),
          QStringLiteral("5"),
          QStringLiteral("--patience"),
          QStringLiteral("0"),
          QStringLiteral("--valid-fraction"),
          QStringLiteral("0.25")};
}

QStringList rankArguments(int rank, int world, int port) {
  return {QStringLiteral("--world-size"),   QString::number(world),
          QStringLiteral("--rank"),         QString::number(rank),
          QStringLiteral("--master"),       QStringLiteral("127.0.0.1:%1").arg(port),
          QStringLiteral("--dist-timeout"), QStringLiteral("20")};
}

struct Finished {
  int exitCode = -1;
  QByteArray err;
};

Finished finish(QProcess& process, int milliseconds = 180000) {
  Finished f;
  if (!process.waitForFinished(milliseconds)) {
    process.kill();
    process.waitForFinished();
    f.err = "did not finish in time: " + process.readAllStandardError();
    return f;
  }
  f.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
  f.err = process.readAllStandardError();
  return f;
}

Finished runOne(const QStringList& arguments) {
  QProcess process;
  process.start(QStringLiteral(LYREBIRD_CLI_PATH), arguments);
  return finish(process);
}

struct Row {
  QString kind;
  std::int64_t step = 0;
  double trainLoss = 0, trainAccuracy = 0, validLoss = 0;
};

std::vector<Row> readLog(const std::filesystem::path& path) {
  QFile file(qpath(path));
  std::vector<Row> rows;
  if (!file.open(QIODevice::ReadOnly)) return rows;
  file.readLine(); // header
  while (!file.atEnd()) {
    const QList<QByteArray> cells = file.readLine().trimmed().split(',');
    if (cells.size() < 7) continue;
    rows.push_back({QString::fromUtf8(cells[2]), cells[1].toLongLong(), cells[3].toDouble(), cells[4].toDouble(),
                    cells[6].isEmpty() ? NAN : cells[6].toDouble()});
  }
  return rows;
}

bool close(double a, double b, double tolerance) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) == std::isnan(b);
  return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

} // namespace

class TestDistributedTraining : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void twoRanksMatchOneProcess();
  void aDeadRankStopsTheOthers();
  void aRankThatCannotConnectGivesUp();
  void ranksMustAgree();
};

void TestDistributedTraining::twoRanksMatchOneProcess() {
  test::TempFolder folder;
  const auto data = folder.path() / "data";
  std::filesystem::create_directories(data);
  writeMelodies(data, 6);
  const QStringList epochs = {QStringLiteral("--epochs"), QStringLiteral("2")};

  const auto single = folder.path() / "single.lyrebird";
  const Finished one = runOne(tinyTraining(data, single) + epochs +
                              QStringList{QStringLiteral("--log"), qpath(folder.path() / "single.csv")});
  QVERIFY2(one.exitCode == 0, one.err.constData());

  // Two ranks, the same global batch of 7 windows (4 + 3 per step).
  const int port = freePort();
  QVERIFY(port > 0);
  const auto model = folder.path() / "dist.lyrebird";
  const auto elsewhere = folder.path() / "rank1-never-written.lyrebird";
  QProcess rank0;
  QProcess rank1;
  rank0.start(QStringLiteral(LYREBIRD_CLI_PATH),
              tinyTraining(data, model) + epochs + rankArguments(0, 2, port) +
                  QStringList{QStringLiteral("--log"), qpath(folder.path() / "dist.csv")});
  rank1.start(QStringLiteral(LYREBIRD_CLI_PATH), tinyTraining(data, elsewhere) + epochs + rankArguments(1, 2, port));
  const Finished f0 = finish(rank0);
  const Finished f1 = finish(rank1);
  QVERIFY2(f0.exitCode == 0, f0.err.constData());
  QVERIFY2(f1.exitCode == 0, f1.err.constData());
  QVERIFY2(f0.err.contains("Connected 2 training processes"), f0.err.constData());
  QVERIFY2(f0.err.contains("All-reduce:"), f0.err.constData());
  QVERIFY2(!f1.err.contains("epoch"), f1.err.constData()); // only rank 0 reports progress
  QVERIFY(std::filesystem::exists(model));
  QVERIFY(!std::filesystem::exists(elsewhere)); // only rank 0 writes

  // The same curve, step for step, within floating-point rounding.
  const std::vector<Row> a = readLog(folder.path() / "single.csv");
  const std::vector<Row> b = readLog(folder.path() / "dist.csv");
  QVERIFY(a.size() >= 4);
  QCOMPARE(b.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    QCOMPARE(b[i].kind, a[i].kind);
    QCOMPARE(b[i].step, a[i].step);
    QVERIFY2(close(b[i].trainLoss, a[i].trainLoss, 1e-4),
             qPrintable(QStringLiteral("row %1: train loss %2 vs %3").arg(i).arg(b[i].trainLoss).arg(a[i].trainLoss)));
    QVERIFY2(close(b[i].validLoss, a[i].validLoss, 1e-4),
             qPrintable(QStringLiteral("row %1: valid loss %2 vs %3").arg(i).arg(b[i].validLoss).arg(a[i].validLoss)));
    QVERIFY(close(b[i].trainAccuracy, a[i].trainAccuracy, 0.02));
  }

  // Resuming with another world size (one process) continues the distributed run.
  const Finished resumed =
      runOne(tinyTraining(data, model) +
             QStringList{QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("--resume")});
  QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
  const Result<train::Checkpoint> checkpoint = train::readCheckpoint(model);
  QVERIFY(checkpoint.ok());
  QCOMPARE(checkpoint->progress.epochsDone, 3);
}

void TestDistributedTraining::aDeadRankStopsTheOthers() {
  test::TempFolder folder;
  const auto data = folder.path() / "data";
  std::filesystem::create_directories(data);
  writeMelodies(data, 6);
  const int port = freePort();
  const auto model = folder.path() / "dist.lyrebird";
  const QStringList forever = {QStringLiteral("--epochs"), QStringLiteral("100000")};
  QProcess rank0;
  QProcess rank1;
  rank0.start(QStringLiteral(LYREBIRD_CLI_PATH), tinyTraining(data, model) + forever + rankArguments(0, 2, port));
  rank1.start(QStringLiteral(LYREBIRD_CLI_PATH), tinyTraining(data, model) + forever + rankArguments(1, 2, port));
  // Once a few epochs are saved, rank 1 dies without a word.
  QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(model) && rank0.state() == QProcess::Running, 60000);
  QTest::qWait(500);
  rank1.kill();
  rank1.waitForFinished();
  QElapsedTimer timer;
  timer.start();
  const Finished f0 = finish(rank0, 60000);
  QVERIFY2(f0.exitCode == 1, f0.err.constData());
  QVERIFY2(timer.elapsed() < 25000, qPrintable(QString::number(timer.elapsed())));
  QVERIFY2(f0.err.contains("another training process died"), f0.err.constData());
  // The last model file written is intact and can be resumed.
  const Result<train::Checkpoint> checkpoint = train::readCheckpoint(model);
  QVERIFY2(checkpoint.ok(), checkpoint.ok() ? "" : checkpoint.error().message.c_str());
  QVERIFY(checkpoint->progress.epochsDone >= 1);
}

void TestDistributedTraining::aRankThatCannotConnectGivesUp() {
  test::TempFolder folder;
  const auto data = folder.path() / "data";
  std::filesystem::create_directories(data);
  writeMelodies(data, 3);
  QStringList arguments = tinyTraining(data, folder.path() / "m.lyrebird") + rankArguments(1, 2, freePort());
  arguments.last() = QStringLiteral("3"); // --dist-timeout 3
  QElapsedTimer timer;
  timer.start();
  const Finished f = runOne(arguments);
  QCOMPARE(f.exitCode, 1);
  QVERIFY2(f.err.contains("could not reach rank 0 at 127.0.0.1"), f.err.constData());
  QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
  QVERIFY(!std::filesystem::exists(folder.path() / "m.lyrebird"));
}

void TestDistributedTraining::ranksMustAgree() {
  test::TempFolder folder;
  const auto data = folder.path() / "data";
  std::filesystem::create_directories(data);
  writeMelodies(data, 4);
  const int port = freePort();
  const auto model = folder.path() / "m.lyrebird";
  QProcess rank0;
  QProcess rank1;
  rank0.start(QStringLiteral(LYREBIRD_CLI_PATH), tinyTraining(data, model) + rankArguments(0, 2, port));
  rank1.start(QStringLiteral(LYREBIRD_CLI_PATH), tinyTraining(data, model) + rankArguments(1, 2, port) +
                                                     QStringList{QStringLiteral("--batch"), QStringLiteral("9")});
  const Finished f0 = finish(rank0);
  const Finished f1 = finish(rank1);
  QCOMPARE(f0.exitCode, 1);
  QCOMPARE(f1.exitCode, 1);
  QVERIFY2(f0.err.contains("other training settings than rank 0"), f0.err.constData());
  QVERIFY(!std::filesystem::exists(model));
}

QTEST_GUILESS_MAIN(TestDistributedTraining)
#include "tst_distributedtraining.moc"
