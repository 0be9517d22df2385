#include "distributed/distributedconfig.h"

#include <QtTest>

#include <map>

using namespace lyrebird;
using namespace lyrebird::distributed;

namespace {

Environment fakeEnvironment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

} // namespace

class TestDistributedConfig : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void singleProcessByDefault();
  void launcherEnvironment();
  void optionsWinOverTheEnvironment();
  void masterAddresses_data();
  void masterAddresses();
  void refusals_data();
  void refusals();
};

void TestDistributedConfig::singleProcessByDefault() {
  const Result<DistributedConfig> config = resolveDistributedConfig({}, fakeEnvironment({}));
  QVERIFY(config.ok());
  QCOMPARE(config->worldSize, 1);
  QCOMPARE(config->rank, 0);
  QVERIFY(!config->enabled());
  QVERIFY(config->isMain());
  QCOMPARE(config->masterPort, 29500);
}

void TestDistributedConfig::launcherEnvironment() {
  // What torchrun and cluster wrappers set.
  const Result<DistributedConfig> config = resolveDistributedConfig(
      {}, fakeEnvironment({{"WORLD_SIZE", "4"}, {"RANK", "3"}, {"MASTER_ADDR", "node07"}, {"MASTER_PORT", "23456"}}));
  QVERIFY(config.ok());
  QCOMPARE(config->worldSize, 4);
  QCOMPARE(config->rank, 3);
  QCOMPARE(config->masterHost, std::string("node07"));
  QCOMPARE(config->masterPort, 23456);
  QVERIFY(config->enabled());
  QVERIFY(!config->isMain());
}

void TestDistributedConfig::optionsWinOverTheEnvironment() {
  DistributedOptions options;
  options.worldSize = 2;
  options.rank = 0;
  options.master = "10.1.2.3:4000";
  options.timeoutSeconds = 7.5;
  const Result<DistributedConfig> config = resolveDistributedConfig(
      options,
      fakeEnvironment({{"WORLD_SIZE", "8"}, {"RANK", "5"}, {"MASTER_ADDR", "elsewhere"}, {"MASTER_PORT", "1"}}));
  QVERIFY(config.ok());
  QCOMPARE(config->worldSize, 2);
  QCOMPARE(config->rank, 0);
  QCOMPARE(config->masterHost, std::string("10.1.2.3"));
  QCOMPARE(config->masterPort, 4000);
  QCOMPARE(config->timeoutSeconds, 7.5);
}

void TestDistributedConfig::masterAddresses_data() {
  QTest::addColumn<QString>("master");
  QTest::addColumn<QString>("host");
  QTest::addColumn<int>("port");
  QTest::newRow("ipv4") << "127.0.0.1:29501"
                        << "127.0.0.1" << 29501;
  QTest::newRow("name") << "gpu-host.lab:80"
                        << "gpu-host.lab" << 80;
  QTest::newRow("ipv6") << "[fe80::1]:1234"
                        << "fe80::1" << 1234;
}

void TestDistributedConfig::masterAddresses() {
  QFETCH(QString, master);
  QFETCH(QString, host);
  QFETCH(int, port);
  DistributedOptions options;
  options.master = master.toStdString();
  const Result<DistributedConfig> config = resolveDistributedConfig(options, fakeEnvironment({}));
  QVERIFY(config.ok());
  QCOMPARE(QString::fromStdString(config->masterHost), host);
  QCOMPARE(config->masterPort, port);
}

void TestDistributedConfig::refusals_data() {
  QTest::addColumn<int>("worldSize");
  QTest::addColumn<int>("rank");
  QTest::addColumn<QString>("master");
  QTest::addColumn<QString>("environmentRank");
  QTest::addColumn<QString>("expected");
  QTest::newRow("rank past the world") << 2 << 2 << ""
                                       << ""
                                       << "rank must be between";
  QTest::newRow("no world") << 0 << -1 << ""
                            << ""
                            << "world size";
  QTest::newRow("master without port") << 2 << 1 << "host"
                                       << ""
                                       << "HOST:PORT";
  QTest::newRow("port out of range") << 2 << 1 << "host:70000"
                                     << ""
                                     << "port";
  QTest::newRow("port not a number") << 2 << 1 << "host:http"
                                     << ""
                                     << "port";
  QTest::newRow("RANK not a number") << 2 << -1 << ""
                                     << "one"
                                     << "RANK is not a number";
}

void TestDistributedConfig::refusals() {
  QFETCH(int, worldSize);
  QFETCH(int, rank);
  QFETCH(QString, master);
  QFETCH(QString, environmentRank);
  QFETCH(QString, expected);
  DistributedOptions options;
  options.worldSize = worldSize;
  if (rank >= 0) options.rank = rank;
  if (!master.isEmpty()) options.master = master.toStdString();
  std::map<std::string, std::string> environment;
  if (!environmentRank.isEmpty()) environment["RANK"] = environmentRank.toStdString();
  const Result<DistributedConfig> config = resolveDistributedConfig(options, fakeEnvironment(environment));
  QVERIFY(!config.ok());
  QVERIFY2(QString::fromStdString(config.error().message).contains(expected), config.error().message.c_str());
}

QTEST_GUILESS_MAIN(TestDistributedConfig)
#include "tst_distributedconfig.moc"
