#include "tokenize/vocabulary.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::tokenize;

class TestVocabulary : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void unknownIsIdZero();
  void addCountsAndFinds();
  void pruneMovesRareTokensToUnknown();
  void serializeRoundTrip();
  void damagedTextIsRefused_data();
  void damagedTextIsRefused();
};

void TestVocabulary::unknownIsIdZero() {
  const Vocabulary v;
  QCOMPARE(v.size(), std::size_t{1});
  QCOMPARE(v.token(Vocabulary::kUnknown), std::string("<unk>"));
  QCOMPARE(v.id("never seen"), Vocabulary::kUnknown);
  QCOMPARE(v.token(999), std::string("<unk>"));
}

void TestVocabulary::addCountsAndFinds() {
  Vocabulary v;
  const TokenId a = v.add("60");
  const TokenId b = v.add("60.64.67");
  QCOMPARE(v.add("60"), a);
  QCOMPARE(a, TokenId{1});
  QCOMPARE(b, TokenId{2});
  QCOMPARE(v.count(a), std::uint64_t{2});
  QCOMPARE(v.id("60.64.67"), b);
  QVERIFY(v.contains("60"));
}

void TestVocabulary::pruneMovesRareTokensToUnknown() {
  Vocabulary v;
  v.add("common", 10);
  v.add("rare", 1);
  v.add("also common", 5);
  const Vocabulary p = v.pruned(5);
  QCOMPARE(p.size(), std::size_t{3});
  QCOMPARE(p.token(1), std::string("common"));
  QCOMPARE(p.token(2), std::string("also common"));
  QCOMPARE(p.id("rare"), Vocabulary::kUnknown);
  QCOMPARE(p.count(Vocabulary::kUnknown), std::uint64_t{1});
}

void TestVocabulary::serializeRoundTrip() {
  Vocabulary v;
  v.add("on60", 3);
  v.add("60.64.67_d4_s2", 7);
  v.add("with space", 1);
  const Result<Vocabulary> back = Vocabulary::deserialize(v.serialize());
  QVERIFY(back.ok());
  QVERIFY(*back == v);
  QCOMPARE(back->id("with space"), TokenId{3});
}

void TestVocabulary::damagedTextIsRefused_data() {
  QTest::addColumn<QString>("text");
  QTest::newRow("empty") << QString();
  QTest::newRow("foreign header") << QStringLiteral("hello\n0\t<unk>\n");
  QTest::newRow("no unknown first") << QStringLiteral("lyrebird-vocabulary 1\n3\ton60\n");
  QTest::newRow("count not a number") << QStringLiteral("lyrebird-vocabulary 1\nx\t<unk>\n");
  QTest::newRow("no tab") << QStringLiteral("lyrebird-vocabulary 1\n0 <unk>\n");
  QTest::newRow("duplicate") << QStringLiteral("lyrebird-vocabulary 1\n0\t<unk>\n1\ta\n1\ta\n");
  QTest::newRow("cut mid-line") << QStringLiteral("lyrebird-vocabulary 1\n0\t<unk>\n1\ta");
}

void TestVocabulary::damagedTextIsRefused() {
  QFETCH(QString, text);
  const Result<Vocabulary> r = Vocabulary::deserialize(text.toStdString());
  QVERIFY(!r.ok());
  QCOMPARE(r.error().kind, ErrorKind::Corrupt);
  QVERIFY(!r.error().message.empty());
}

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
