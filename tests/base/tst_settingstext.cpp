#include "base/settingstext.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <map>

using namespace lyrebird;

/// The settings text of model files: "key=value" lines read back exactly, and a sentence for
/// anything else.
class TestSettingsText : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void linesRoundTrip();
  void problemsAreNamed();
  void numbersAreExactAndWhole();
};

void TestSettingsText::linesRoundTrip() {
  std::string text;
  appendSetting(text, "hidden", "256");
  appendSetting(text, "name", "a = b"); // the first '=' splits; values may hold more
  appendSetting(text, "empty", "");
  QCOMPARE(text, std::string("hidden=256\nname=a = b\nempty=\n"));
  std::map<std::string, std::string> read;
  const std::optional<std::string> problem =
      forEachSetting("\n" + text + "\n\n", [&read](std::string_view key, const std::string& value) {
        read[std::string(key)] = value;
        return true;
      });
  QVERIFY(!problem);
  QCOMPARE(read.size(), std::size_t{3});
  QCOMPARE(read["hidden"], std::string("256"));
  QCOMPARE(read["name"], std::string("a = b"));
  QCOMPARE(read["empty"], std::string());
}

void TestSettingsText::problemsAreNamed() {
  auto accept = [](std::string_view, const std::string&) { return true; };
  const std::optional<std::string> noEquals = forEachSetting("hidden=3\nnonsense\n", accept);
  QVERIFY(noEquals);
  QVERIFY2(noEquals->find("nonsense") != std::string::npos, noEquals->c_str());
  // A key the handler does not know, or a value it cannot use, is named too.
  const std::optional<std::string> refused =
      forEachSetting("hidden=3\nlayers=x\n", [](std::string_view key, const std::string&) { return key == "hidden"; });
  QVERIFY(refused);
  QVERIFY2(refused->find("layers=x") != std::string::npos, refused->c_str());
}

void TestSettingsText::numbersAreExactAndWhole() {
  for (const double v : {0.1, 1.0 / 3.0, 2e-3, 123456.789, -0.0, 1e300, 5e-324}) {
    double back = NAN;
    QVERIFY(parseNumber(exactNumber(v), back));
    QCOMPARE(back, v); // bit for bit: what is saved is what is trained with
  }
  int i = 0;
  QVERIFY(parseNumber(std::string("42"), i) && i == 42);
  QVERIFY(parseNumber(std::string("-7"), i) && i == -7);
  QVERIFY(!parseNumber(std::string("42x"), i));
  QVERIFY(!parseNumber(std::string(" 42"), i));
  QVERIFY(!parseNumber(std::string(""), i));
  QVERIFY(!parseNumber(std::string("3000000000"), i)); // beyond int
  std::uint64_t u = 0;
  QVERIFY(parseNumber(std::string("18446744073709551615"), u) && u == std::numeric_limits<std::uint64_t>::max());
  QVERIFY(!parseNumber(std::string("-1"), u));
  double d = 0;
  QVERIFY(!parseNumber(std::string("1.5.2"), d));
  QVERIFY(!parseNumber(std::string("nanx"), d));
}

QTEST_APPLESS_MAIN(TestSettingsText)
#include "tst_settingstext.moc"
