#include "testsupport.h"

#include "train/checkpoint.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::train;

class TestCheckpoint : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void roundTrip();
  void samplingCalibrationRoundTrip();
  void fileRoundTripIsAtomic();
  void everyTruncationIsAClearError();
  void damagedBytesAreFound();
  void foreignAndMissingFiles();
  void crcMatchesZlib();
  void metricsCsvRoundTrip();
};

namespace {

Checkpoint sample() {
  Checkpoint c;
  c.config = *TrainingConfig::fromPreset("seed-stacked");
  c.vocabulary.add("60", 5);
  c.vocabulary.add("60.64.67", 2);
  c.config.model.vocabularySize = static_cast<int>(c.vocabulary.size());
  MetricsRecord r;
  r.epoch = 1;
  r.step = 10;
  r.trainLoss = 2.5;
  r.trainAccuracy = 0.25;
  r.trainTop5 = 0.5;
  r.tokensPerSecond = 1000;
  c.history = {r};
  r.kind = MetricsRecord::Kind::Epoch;
  r.validLoss = 2.75;
  r.validAccuracy = 0.2;
  c.history.push_back(r);
  c.corpusFingerprint = "0123456789abcdef train=3 valid=1";
  c.progress.epochsDone = 1;
  c.progress.step = 10;
  c.progress.bestValidLoss = 2.75;
  c.progress.learningRate = 1e-3;
  c.progress.elapsedSeconds = 12.5;
  c.modelState = std::string("\0\1\2model bytes", 14);
  c.optimizerState = "optimizer bytes";
  c.rngState = std::string(5056, '\x7');
  return c;
}

} // namespace

void TestCheckpoint::roundTrip() {
  const Checkpoint c = sample();
  const Result<Checkpoint> back = decodeCheckpoint(encodeCheckpoint(c));
  QVERIFY2(back.ok(), back.ok() ? "" : back.error().describe().c_str());
  QCOMPARE(back->config.serialize(), c.config.serialize());
  QVERIFY(back->vocabulary == c.vocabulary);
  QCOMPARE(back->history.size(), std::size_t{2});
  QCOMPARE(back->history[1].validLoss, 2.75);
  QVERIFY(std::isnan(back->history[0].validLoss));
  QCOMPARE(back->corpusFingerprint, c.corpusFingerprint);
  QCOMPARE(back->progress.step, std::int64_t{10});
  QCOMPARE(back->progress.elapsedSeconds, 12.5);
  QCOMPARE(back->modelState, c.modelState);
  QCOMPARE(back->optimizerState, c.optimizerState);
  QCOMPARE(back->rngState, c.rngState);
}

void TestCheckpoint::samplingCalibrationRoundTrip() {
  Checkpoint c = sample();
  QVERIFY(!decodeCheckpoint(encodeCheckpoint(c))->sampling.has_value()); // none until measured
  c.sampling =
      SamplingCalibration{.repeat = 0.43, .targetRatio = 0.74, .achievedRatio = 0.72, .takes = 12, .seconds = 30};
  const Result<Checkpoint> back = decodeCheckpoint(encodeCheckpoint(c));
  QVERIFY(back.ok() && back->sampling.has_value());
  QCOMPARE(back->sampling->repeat, 0.43);
  QCOMPARE(back->sampling->targetRatio, 0.74);
  QCOMPARE(back->sampling->achievedRatio, 0.72);
  QCOMPARE(back->sampling->takes, 12);
  QCOMPARE(back->sampling->seconds, 30.0);
  // The weights identify the network; its measured settings do not change that.
  QCOMPARE(modelFingerprint(*back), modelFingerprint(sample()));
  // An unreadable section is damage, said as such (its checksum fixed up to match).
  std::string bytes = encodeCheckpoint(c);
  const std::size_t at = bytes.find("repeat=0.4");
  QVERIFY(at != std::string::npos);
  bytes.replace(at, 10, "repeat=abc");
  const std::size_t length = bytes.rfind("sampling") + 8 + 8; // the section's name, then its u64 length
  const std::string data = bytes.substr(length + 4);
  const std::uint32_t crc = crc32(data);
  for (int i = 0; i < 4; ++i)
    bytes[length + static_cast<std::size_t>(i)] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  const Result<Checkpoint> damaged = decodeCheckpoint(bytes);
  QVERIFY(!damaged.ok());
  QCOMPARE(damaged.error().kind, ErrorKind::Corrupt);
  QVERIFY(damaged.error().message.find("sampling") != std::string::npos);
}

void TestCheckpoint::fileRoundTripIsAtomic() {
  test::TempFolder folder;
  const auto path = folder.path() / "model.lyrebird";
  QVERIFY(writeCheckpoint(sample(), path).ok());
  QVERIFY(writeCheckpoint(sample(), path).ok()); // overwrite in place
  const Result<Checkpoint> back = readCheckpoint(path);
  QVERIFY(back.ok());
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(folder.path())) {
    (void)e;
    ++entries;
  }
  QCOMPARE(entries, 1);
}

void TestCheckpoint::everyTruncationIsAClearError() {
  const std::string bytes = encodeCheckpoint(sample());
  for (std::size_t n = 0; n < bytes.size(); n += (n < 400 ? 1 : 97)) {
    const Result<Checkpoint> r = decodeCheckpoint(std::string_view(bytes).substr(0, n), "cut.lyrebird");
    QVERIFY2(!r.ok(), qPrintable(QString::number(n)));
    QVERIFY(r.error().kind == ErrorKind::Truncated || r.error().kind == ErrorKind::Corrupt);
    QCOMPARE(r.error().path, std::string("cut.lyrebird"));
    QVERIFY(!r.error().message.empty());
  }
}

void TestCheckpoint::damagedBytesAreFound() {
  const std::string bytes = encodeCheckpoint(sample());
  for (std::size_t at = 20; at < bytes.size(); at += 131) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    const Result<Checkpoint> r = decodeCheckpoint(damaged);
    QVERIFY2(!r.ok(), qPrintable(QString::number(at)));
  }
}

void TestCheckpoint::foreignAndMissingFiles() {
  test::TempFolder folder;
  test::writeBytes(folder.path() / "song.mid", {'M', 'T', 'h', 'd', 0, 0, 0, 6});
  const Result<Checkpoint> foreign = readCheckpoint(folder.path() / "song.mid");
  QVERIFY(!foreign.ok());
  QCOMPARE(foreign.error().kind, ErrorKind::Corrupt);
  QVERIFY(QString::fromStdString(foreign.error().message).contains(u"not a Lyrebird model"));
  const Result<Checkpoint> missing = readCheckpoint(folder.path() / "none.lyrebird");
  QVERIFY(!missing.ok());
  QCOMPARE(missing.error().kind, ErrorKind::NotFound);
  const Result<Checkpoint> folderInstead = readCheckpoint(folder.path());
  QVERIFY(!folderInstead.ok());
}

void TestCheckpoint::crcMatchesZlib() {
  QCOMPARE(crc32(""), 0u);
  QCOMPARE(crc32("123456789"), 0xCBF43926u); // the standard check value
}

void TestCheckpoint::metricsCsvRoundTrip() {
  const Checkpoint c = sample();
  const std::string csv = metricsToCsv(c.history);
  QVERIFY(csv.starts_with("epoch,step,kind,train_loss,train_acc"));
  const auto back = metricsFromCsv(csv);
  QVERIFY(back.ok());
  QCOMPARE(back->size(), std::size_t{2});
  QCOMPARE((*back)[0].trainLoss, 2.5);
  QCOMPARE((*back)[1].kind, MetricsRecord::Kind::Epoch);
  QVERIFY(!metricsFromCsv("nonsense\n").ok());
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
