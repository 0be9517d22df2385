#include "testsupport.h"

#include "corpus/corpus.h"
#include "corpus/split.h"

#include <QtTest>

#include <set>

using namespace lyrebird;
using namespace lyrebird::corpus;

class TestSplit : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void sizesFollowTheFractions_data();
  void sizesFollowTheFractions();
  void everyFileExactlyOnce();
  void sameSeedSameSplitWhateverTheOrder();
  void otherSeedOtherSplit();
  void addingFilesMovesFewExistingOnes();
  void corpusOwnFoldersAreUsed();
  void folderSplitCanBeIgnored();
  void tinyCorpora();
};

namespace {
std::vector<std::string> names(int n, const std::string& prefix = "piece") {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back(prefix + std::to_string(i) + ".mid");
  return out;
}
std::set<std::string> pick(const std::vector<std::string>& paths, const std::vector<std::size_t>& indices) {
  std::set<std::string> out;
  for (std::size_t i : indices)
    out.insert(paths[i]);
  return out;
}
} // namespace

void TestSplit::sizesFollowTheFractions_data() {
  QTest::addColumn<int>("files");
  QTest::addColumn<double>("valid");
  QTest::addColumn<double>("test");
  QTest::addColumn<int>("expectValid");
  QTest::addColumn<int>("expectTest");
  QTest::newRow("10% of 337") << 337 << 0.1 << 0.0 << 34 << 0;
  QTest::newRow("80/10/10 of 1000") << 1000 << 0.1 << 0.1 << 100 << 100;
  QTest::newRow("no validation") << 50 << 0.0 << 0.0 << 0 << 0;
  QTest::newRow("tiny fraction still gives one file") << 5 << 0.01 << 0.0 << 1 << 0;
}

void TestSplit::sizesFollowTheFractions() {
  QFETCH(int, files);
  QFETCH(double, valid);
  QFETCH(double, test);
  QFETCH(int, expectValid);
  QFETCH(int, expectTest);
  SplitOptions options;
  options.validFraction = valid;
  options.testFraction = test;
  const Split split = splitByFile(names(files), options);
  QCOMPARE(static_cast<int>(split.valid.size()), expectValid);
  QCOMPARE(static_cast<int>(split.test.size()), expectTest);
  QCOMPARE(static_cast<int>(split.train.size()), files - expectValid - expectTest);
  QVERIFY(!split.fromFolders);
}

void TestSplit::everyFileExactlyOnce() {
  SplitOptions options;
  options.validFraction = 0.15;
  options.testFraction = 0.15;
  const Split split = splitByFile(names(500), options);
  std::vector<int> seen(500, 0);
  for (const auto* part : {&split.train, &split.valid, &split.test}) {
    QVERIFY(std::is_sorted(part->begin(), part->end()));
    for (std::size_t i : *part)
      ++seen[i];
  }
  QVERIFY(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
}

void TestSplit::sameSeedSameSplitWhateverTheOrder() {
  const std::vector<std::string> paths = names(300);
  std::vector<std::string> reversed(paths.rbegin(), paths.rend());
  SplitOptions options;
  options.seed = 42;
  const Split a = splitByFile(paths, options);
  const Split b = splitByFile(reversed, options);
  QVERIFY(pick(paths, a.valid) == pick(reversed, b.valid));
  QVERIFY(pick(paths, a.train) == pick(reversed, b.train));
  QCOMPARE(splitByFile(paths, options).valid, a.valid);
}

void TestSplit::otherSeedOtherSplit() {
  const std::vector<std::string> paths = names(300);
  SplitOptions a;
  a.seed = 1;
  SplitOptions b;
  b.seed = 2;
  QVERIFY(splitByFile(paths, a).valid != splitByFile(paths, b).valid);
}

void TestSplit::addingFilesMovesFewExistingOnes() {
  const std::vector<std::string> before = names(500);
  std::vector<std::string> after = before;
  for (const std::string& extra : names(10, "new"))
    after.push_back(extra);
  const std::set<std::string> validBefore = pick(before, splitByFile(before).valid);
  const std::set<std::string> validAfter = pick(after, splitByFile(after).valid);
  int moved = 0;
  for (const std::string& p : validBefore)
    moved += validAfter.count(p) ? 0 : 1;
  QVERIFY2(moved <= 3, qPrintable(QString::number(moved)));
}

void TestSplit::corpusOwnFoldersAreUsed() {
  LYREBIRD_REQUIRE_SHARED();
  const auto files = findMidiFiles(test::sharedDir() / "data/jsb-chorales");
  QVERIFY(files.ok());
  std::vector<std::string> paths;
  for (const auto& p : *files)
    paths.push_back(p.lexically_relative(test::sharedDir() / "data/jsb-chorales").generic_string());
  const Split split = splitByFile(paths);
  QVERIFY(split.fromFolders);
  QCOMPARE(split.train.size(), std::size_t{229});
  QCOMPARE(split.valid.size(), std::size_t{76});
  QCOMPARE(split.test.size(), std::size_t{77});
  for (std::size_t i : split.valid)
    QVERIFY(paths[i].starts_with("valid/"));
}

void TestSplit::folderSplitCanBeIgnored() {
  std::vector<std::string> paths = {"train/a.mid", "train/b.mid", "valid/c.mid", "test/d.mid"};
  SplitOptions options;
  options.useFolderSplit = false;
  options.validFraction = 0.25;
  const Split split = splitByFile(paths, options);
  QVERIFY(!split.fromFolders);
  QCOMPARE(split.valid.size(), std::size_t{1});
  QCOMPARE(split.train.size(), std::size_t{3});
}

void TestSplit::tinyCorpora() {
  QVERIFY(splitByFile({}).train.empty());
  const Split one = splitByFile({"only.mid"});
  QCOMPARE(one.train.size(), std::size_t{1});
  QVERIFY(one.valid.empty());
  SplitOptions options;
  options.validFraction = 0.5;
  options.testFraction = 0.5;
  const Split two = splitByFile({"a.mid", "b.mid"}, options);
  QCOMPARE(two.train.size(), std::size_t{1}); // always something to learn from
  QCOMPARE(two.valid.size(), std::size_t{1});
}

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
