#include "generate/scale.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::generate;

class TestScale : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void parses_data();
  void parses();
  void membership();
  void refusals_data();
  void refusals();
};

void TestScale::parses_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("name");
  QTest::addColumn<QString>("pitchClasses"); // C .. B as 0/1
  QTest::newRow("D dorian") << "D dorian"
                            << "D dorian"
                            << "101011010101"; // the pitch classes of C major
  QTest::newRow("lower case, extra spaces") << "  c   major "
                                            << "C major"
                                            << "101011010101";
  QTest::newRow("flat tonic") << "Eb major"
                              << "Eb major"
                              << "101101011010";
  QTest::newRow("B flat minor") << "bb minor"
                                << "Bb minor"
                                << "110101101010";
  QTest::newRow("sharp") << "F# minor"
                         << "F# minor"
                         << "011010101101";
  QTest::newRow("tonic alone is major") << "G"
                                        << "G major"
                                        << "101010110101";
  QTest::newRow("two-word mode") << "A harmonic minor"
                                 << "A harmonic minor"
                                 << "101011001101";
  QTest::newRow("blues") << "A blues"
                         << "A blues"
                         << "101110010100";
  QTest::newRow("chromatic") << "chromatic"
                             << "chromatic"
                             << "111111111111";
}

void TestScale::parses() {
  QFETCH(QString, text);
  QFETCH(QString, name);
  QFETCH(QString, pitchClasses);
  const Result<Scale> scale = parseScale(text.toStdString());
  QVERIFY2(scale.ok(), scale.ok() ? "" : scale.error().message.c_str());
  QCOMPARE(QString::fromStdString(scale->name), name);
  QString got;
  for (bool b : scale->pitchClasses)
    got += b ? u'1' : u'0';
  QCOMPARE(got, pitchClasses);
}

void TestScale::membership() {
  const Scale fSharpMinor = *parseScale("F# minor");
  for (int p : {66, 68, 69, 71, 73, 74, 76, 78 - 12})
    QVERIFY2(fSharpMinor.contains(p), qPrintable(QString::number(p)));
  for (int p : {65, 67, 70, 72, 75, 77})
    QVERIFY(!fSharpMinor.contains(p));
  const Scale cMajor = *parseScale("C major");
  QVERIFY(cMajor.contains(60));
  QVERIFY(!cMajor.contains(61));
  QVERIFY(cMajor.contains(0));
  QVERIFY(!cMajor.contains(-1));
}

void TestScale::refusals_data() {
  QTest::addColumn<QString>("text");
  QTest::newRow("empty") << "";
  QTest::newRow("not a note") << "H minor";
  QTest::newRow("unknown mode") << "D gregorian";
  QTest::newRow("garbage after the tonic") << "Dx major";
}

void TestScale::refusals() {
  QFETCH(QString, text);
  const Result<Scale> scale = parseScale(text.toStdString());
  QVERIFY(!scale.ok());
  QVERIFY(!scale.error().message.empty());
}

QTEST_GUILESS_MAIN(TestScale)
#include "tst_scale.moc"
