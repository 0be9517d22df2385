#include "audiotestsupport.h"

#include "audio/player.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::audio;

// Live playback's transport, driven the way the audio driver drives it (pull), since this
// machine has no audio device; and the no-device state itself.
class TestPlayer : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void init() { LYREBIRD_REQUIRE_SOUNDFONT(); }
  void noDeviceIsAStateNotAnError();
  void playAdvancesStopHolds();
  void seekAndLoop();
  void endsByItself();
  void panicSilencesAtOnce();
  void previewSoundsWhileStopped();
  void streamingPlaysNotesAsTheyArrive();

private:
  std::unique_ptr<Player> player(const std::vector<std::string>& drivers = {});
  std::vector<float> m_left = std::vector<float>(22050), m_right = std::vector<float>(22050);
  double pullSeconds(Player& p, double seconds); // returns the RMS of what was pulled
};

std::unique_ptr<Player> TestPlayer::player(const std::vector<std::string>& drivers) {
  auto p = Player::create(test::testSynth(22050.0), drivers);
  if (!p) qFatal("%s", p.error().describe().c_str());
  return std::move(p.value());
}

double TestPlayer::pullSeconds(Player& p, double seconds) {
  double sum = 0.0;
  int total = 0;
  for (int left = static_cast<int>(seconds * 22050); left > 0;) {
    const int n = std::min(left, 512); // the block size of a typical driver
    p.pull(m_left.data(), m_right.data(), n);
    for (int i = 0; i < n; ++i)
      sum += m_left[static_cast<std::size_t>(i)] * m_left[static_cast<std::size_t>(i)];
    left -= n;
    total += n;
  }
  return std::sqrt(sum / std::max(total, 1));
}

void TestPlayer::noDeviceIsAStateNotAnError() {
  auto none = player({});
  QVERIFY(!none->hasDevice());
  QVERIFY(none->driverName().empty());
  QVERIFY(none->deviceMessage().find("No audio device") != std::string::npos);
  // Every driver on a machine without sound hardware: still a Player, with the reasons.
  auto probed = player(Player::defaultDrivers());
  if (!probed->hasDevice()) {
    QVERIFY(probed->deviceMessage().find("pulseaudio") != std::string::npos);
    QVERIFY(probed->deviceMessage().find("alsa") != std::string::npos);
  }
  none->load(test::goldenScore()); // the transport works without a device
  none->play();
  QVERIFY(none->isPlaying());
}

void TestPlayer::playAdvancesStopHolds() {
  auto p = player();
  p->load(test::goldenScore());
  QCOMPARE(p->positionSeconds(), 0.0);
  QVERIFY(pullSeconds(*p, 0.5) < 1e-6); // stopped: silence, no movement
  QCOMPARE(p->positionSeconds(), 0.0);
  p->play();
  const double sound = pullSeconds(*p, 1.0);
  QVERIFY2(sound > 0.005, qPrintable(QString::number(sound)));
  QCOMPARE(p->positionSeconds(), 1.0);
  p->stop();
  pullSeconds(*p, 0.5);
  QCOMPARE(p->positionSeconds(), 1.0);
  QVERIFY(!p->isPlaying());
}

void TestPlayer::seekAndLoop() {
  auto p = player();
  p->load(test::goldenScore());
  p->seek(1.2);
  QCOMPARE(p->positionSeconds(), 1.2);
  p->setLoop(0.25, 0.75);
  p->play();
  p->seek(0.25);
  for (int i = 0; i < 8; ++i) {
    pullSeconds(*p, 0.2);
    QVERIFY2(p->positionSeconds() >= 0.25 && p->positionSeconds() <= 0.75,
             qPrintable(QString::number(p->positionSeconds())));
  }
  QVERIFY(p->isPlaying());
  p->clearLoop();
  pullSeconds(*p, 1.0);
  QVERIFY(p->positionSeconds() > 0.75);
}

void TestPlayer::endsByItself() {
  auto p = player();
  p->load(test::goldenScore());
  QCOMPARE(p->lengthSeconds(), 1640.0 / 960.0);
  p->play();
  pullSeconds(*p, 4.0); // 1.7 s of piece and 2 s to ring out
  QVERIFY(!p->isPlaying());
  p->play(); // Play at the end starts over
  QVERIFY(p->positionSeconds() < 0.1);
}

void TestPlayer::panicSilencesAtOnce() {
  auto p = player();
  p->load(test::goldenScore());
  p->play();
  pullSeconds(*p, 0.6);
  p->panic();
  QVERIFY(!p->isPlaying());
  pullSeconds(*p, 0.01); // the reverb's tail is cut too, within a block or two
  QVERIFY2(pullSeconds(*p, 0.2) < 1e-4, "sound after panic");
}

void TestPlayer::previewSoundsWhileStopped() {
  auto p = player();
  p->previewNoteOn(60, 100, 0);
  QVERIFY(pullSeconds(*p, 0.3) > 0.005);
  QCOMPARE(p->positionSeconds(), 0.0);
  p->previewNoteOff(60);
  pullSeconds(*p, 3.0);
  QVERIFY(pullSeconds(*p, 0.2) < 1e-4); // released and faded
}

void TestPlayer::streamingPlaysNotesAsTheyArrive() {
  auto p = player();
  p->beginStream(480, 500000, 0);
  p->play();
  QVERIFY(pullSeconds(*p, 0.2) < 1e-6); // nothing yet
  // A note that was due a moment ago (generation lagging behind) still sounds now.
  p->streamNoteStart(0, 64, 100);
  QVERIFY(pullSeconds(*p, 0.2) > 0.005);
  p->streamNoteEnd(240, 64);
  p->streamNoteStart(480, 67, 100); // due at 0.5 s
  p->streamNoteEnd(960, 67);
  QVERIFY(p->isPlaying()); // a stream waits for more notes
  pullSeconds(*p, 0.1);
  QVERIFY(pullSeconds(*p, 0.3) > 0.005);
  p->endStream();
  pullSeconds(*p, 3.0);
  QVERIFY(!p->isPlaying());
}

QTEST_APPLESS_MAIN(TestPlayer)
#include "tst_player.moc"
