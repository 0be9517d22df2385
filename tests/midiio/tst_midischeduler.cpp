#include "midiio/midischeduler.h"

#include <QtTest>

#include <chrono>
#include <mutex>
#include <thread>

using namespace lyrebird::midiio;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

namespace {

/// What the scheduler sent, with when it was sent (seconds after the sink was made).
class RecordingSink {
public:
  MidiScheduler::Sink sink() {
    return [this](const Bytes& bytes) {
      const std::lock_guard lock(m_mutex);
      m_sent.push_back({std::chrono::duration<double>(Clock::now() - m_origin).count(), bytes});
    };
  }
  std::vector<TimedMessage> sent() const {
    const std::lock_guard lock(m_mutex);
    return m_sent;
  }
  std::size_t count() const { return sent().size(); }
  void clear() {
    const std::lock_guard lock(m_mutex);
    m_sent.clear();
  }
  double now() const { return std::chrono::duration<double>(Clock::now() - m_origin).count(); }

private:
  mutable std::mutex m_mutex;
  std::vector<TimedMessage> m_sent;
  Clock::time_point m_origin = Clock::now();
};

} // namespace

class TestMidiScheduler : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void sendsInOrderNeverEarly();
  void stopReleasesSoundingNotes();
  void seekChasesProgramsAndControllers();
  void streamedMessages();
  void positionFollowsTheTransport();
  void panicSilencesEveryChannel();
  void destructionReleasesNotes();
};

void TestMidiScheduler::sendsInOrderNeverEarly() {
  RecordingSink out;
  MidiScheduler scheduler(out.sink());
  scheduler.load({{0.10, {0x80, 60, 0}}, {0.0, {0xC0, 5}}, {0.0, {0x90, 60, 100}}, {0.05, {0x90, 64, 90}}});
  const double started = out.now();
  scheduler.play();
  QTRY_COMPARE_WITH_TIMEOUT(out.count(), std::size_t{4}, 5000);
  const auto sent = out.sent();
  // Sorted by time, equal times in the order given.
  QCOMPARE(sent[0].bytes, (Bytes{0xC0, 5}));
  QCOMPARE(sent[1].bytes, (Bytes{0x90, 60, 100}));
  QCOMPARE(sent[2].bytes, (Bytes{0x90, 64, 90}));
  QCOMPARE(sent[3].bytes, (Bytes{0x80, 60, 0}));
  QVERIFY2(sent[2].seconds - started >= 0.05 - 1e-3, "a message went out before it was due");
  QVERIFY2(sent[3].seconds - started >= 0.10 - 1e-3, "a message went out before it was due");
  QVERIFY(scheduler.isPlaying()); // a transport: it plays on until stopped
}

void TestMidiScheduler::stopReleasesSoundingNotes() {
  RecordingSink out;
  MidiScheduler scheduler(out.sink());
  scheduler.load({{0.0, {0x91, 60, 100}}, {0.0, {0x91, 67, 100}}, {30.0, {0x81, 60, 0}}, {30.0, {0x81, 67, 0}}});
  scheduler.play();
  QTRY_COMPARE_WITH_TIMEOUT(out.count(), std::size_t{2}, 5000);
  scheduler.stop();
  QVERIFY(!scheduler.isPlaying());
  const auto sent = out.sent();
  QCOMPARE(sent.size(), std::size_t{4});
  QCOMPARE(sent[2].bytes, (Bytes{0x81, 60, 0}));
  QCOMPARE(sent[3].bytes, (Bytes{0x81, 67, 0}));
  // Nothing more after a stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  QCOMPARE(out.count(), std::size_t{4});
}

void TestMidiScheduler::seekChasesProgramsAndControllers() {
  RecordingSink out;
  MidiScheduler scheduler(out.sink());
  scheduler.load({{0.0, {0xC0, 40}},
                  {0.0, {0x90, 50, 100}},
                  {0.2, {0xB0, 64, 127}},
                  {0.3, {0x80, 50, 0}},
                  {1.0, {0x90, 60, 100}},
                  {5.0, {0x80, 60, 0}}});
  scheduler.seek(0.95);
  QCOMPARE(scheduler.positionSeconds(), 0.95);
  const double started = out.now();
  scheduler.play();
  QTRY_COMPARE_WITH_TIMEOUT(out.count(), std::size_t{3}, 5000);
  const auto sent = out.sent();
  // The program and the pedal from before the position, none of its notes, then the next note.
  QCOMPARE(sent[0].bytes, (Bytes{0xC0, 40}));
  QCOMPARE(sent[1].bytes, (Bytes{0xB0, 64, 127}));
  QCOMPARE(sent[2].bytes, (Bytes{0x90, 60, 100}));
  QVERIFY(sent[2].seconds - started >= 0.05 - 1e-3); // due 0.05 s after play(), never earlier
  // A seek while playing releases what sounds and goes on from there.
  scheduler.seek(4.99);
  QTRY_VERIFY_WITH_TIMEOUT(out.count() >= 6, 5000);
  const auto after = out.sent();
  QCOMPARE(after[3].bytes, (Bytes{0x80, 60, 0})); // released by the seek
  QCOMPARE(after[4].bytes, (Bytes{0xC0, 40}));    // chased again
}

void TestMidiScheduler::streamedMessages() {
  RecordingSink out;
  MidiScheduler scheduler(out.sink());
  scheduler.load({});
  scheduler.play();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  // A late message sounds at once; one ahead of the playhead waits for its time.
  scheduler.add({0.0, {0x90, 60, 100}});
  QCOMPARE(out.count(), std::size_t{1});
  const double addedAt = out.now(); // before the position is read: the message is due 0.15 s after it at least
  const double ahead = scheduler.positionSeconds() + 0.15;
  scheduler.add({ahead, {0x80, 60, 0}});
  QTRY_COMPARE_WITH_TIMEOUT(out.count(), std::size_t{2}, 5000);
  QVERIFY(out.sent()[1].seconds - addedAt >= 0.15 - 0.01);
  QCOMPARE(out.sent()[1].bytes, (Bytes{0x80, 60, 0}));
}

void TestMidiScheduler::positionFollowsTheTransport() {
  RecordingSink out;
  MidiScheduler scheduler(out.sink());
  scheduler.load({{10.0, {0x90, 60, 100}}});
  QCOMPARE(scheduler.positionSeconds(), 0.0);
  scheduler.play();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  scheduler.stop();
  const double stopped = scheduler.positionSeconds();
  QVERIFY2(stopped >= 0.099 && stopped < 2.0, qPrintable(QString::number(stopped)));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  QCOMPARE(scheduler.positionSeconds(), stopped);
  scheduler.play(); // resumes from where it stopped
  QVERIFY(scheduler.positionSeconds() >= stopped);
  scheduler.load({}); // loading stops and rewinds
  QVERIFY(!scheduler.isPlaying());
  QCOMPARE(scheduler.positionSeconds(), 0.0);
  QCOMPARE(out.count(), std::size_t{0});
}

void TestMidiScheduler::panicSilencesEveryChannel() {
  RecordingSink out;
  MidiScheduler scheduler(out.sink());
  scheduler.sendNow({0x99, 36, 100});
  scheduler.panic();
  const auto sent = out.sent();
  QCOMPARE(sent.size(), std::size_t{1 + 1 + 32});
  QCOMPARE(sent[1].bytes, (Bytes{0x89, 36, 0}));
  int allNotesOff = 0;
  for (const auto& m : sent)
    allNotesOff += m.bytes.size() == 3 && (m.bytes[0] & 0xF0) == 0xB0 && m.bytes[1] == 123;
  QCOMPARE(allNotesOff, 16);
}

void TestMidiScheduler::destructionReleasesNotes() {
  RecordingSink out;
  {
    MidiScheduler scheduler(out.sink());
    scheduler.load({{0.0, {0x90, 72, 100}}, {60.0, {0x80, 72, 0}}});
    scheduler.play();
    QTRY_COMPARE_WITH_TIMEOUT(out.count(), std::size_t{1}, 5000);
  }
  QCOMPARE(out.count(), std::size_t{2});
  QCOMPARE(out.sent()[1].bytes, (Bytes{0x80, 72, 0}));
}

QTEST_GUILESS_MAIN(TestMidiScheduler)
#include "tst_midischeduler.moc"
