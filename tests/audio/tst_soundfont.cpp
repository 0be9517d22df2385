#include "testsupport.h"

#include "audio/soundfont.h"
#include "audio/synth.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::audio;

class TestSoundFont : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void checksTheSignature();
  void userChoiceComesFirstAndIsNeverReplaced();
  void bundledBeforeSystem();
  void noneFoundSaysWhatWasTried();
  void synthRefusesWhatItCannotLoad();

private:
  test::TempFolder m_folder;
};

namespace {
// The smallest file that passes the signature check (FluidSynth would still refuse it).
const std::vector<std::uint8_t> kFakeHeader = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 's', 'f', 'b', 'k'};
} // namespace

void TestSoundFont::checksTheSignature() {
  test::writeBytes(m_folder.path() / "fake.sf2", kFakeHeader);
  test::writeBytes(m_folder.path() / "song.sf2", {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0, 1});
  test::writeBytes(m_folder.path() / "short.sf2", {'R', 'I'});
  QVERIFY(checkSoundFont(m_folder.path() / "fake.sf2").ok());
  QCOMPARE(checkSoundFont(m_folder.path() / "song.sf2").error().kind, ErrorKind::Corrupt);
  QCOMPARE(checkSoundFont(m_folder.path() / "short.sf2").error().kind, ErrorKind::Io);
  QCOMPARE(checkSoundFont(m_folder.path() / "none.sf2").error().kind, ErrorKind::NotFound);
  QCOMPARE(checkSoundFont(m_folder.path()).error().kind, ErrorKind::NotFound); // a folder
}

void TestSoundFont::userChoiceComesFirstAndIsNeverReplaced() {
  const auto bundled = m_folder.path() / "bundled";
  std::filesystem::create_directories(bundled);
  test::writeBytes(bundled / "a.sf2", kFakeHeader);
  test::writeBytes(m_folder.path() / "mine.sf2", kFakeHeader);
  SoundFontSearch search;
  search.bundledFolders = {bundled};
  search.userChoice = m_folder.path() / "mine.sf2";
  QCOMPARE(*findSoundFont(search), m_folder.path() / "mine.sf2");
  search.userChoice = m_folder.path() / "missing.sf2";
  const auto missing = findSoundFont(search);
  QVERIFY(!missing.ok()); // not silently replaced by the bundled one
  QCOMPARE(missing.error().kind, ErrorKind::NotFound);
}

void TestSoundFont::bundledBeforeSystem() {
  const auto bundled = m_folder.path() / "b2";
  std::filesystem::create_directories(bundled);
  test::writeBytes(bundled / "Zed.SF2", kFakeHeader);
  test::writeBytes(bundled / "alpha.sf3", kFakeHeader);
  test::writeBytes(bundled / "readme.txt", {'x'});
  test::writeBytes(m_folder.path() / "system.sf2", kFakeHeader);
  SoundFontSearch search;
  search.bundledFolders = {m_folder.path() / "nonexistent", bundled};
  search.systemFiles = {m_folder.path() / "system.sf2"};
  QCOMPARE(*findSoundFont(search), bundled / "Zed.SF2"); // name order: 'Z' < 'a'
  search.bundledFolders = {};
  QCOMPARE(*findSoundFont(search), m_folder.path() / "system.sf2");
}

void TestSoundFont::noneFoundSaysWhatWasTried() {
  SoundFontSearch search;
  search.bundledFolders = {m_folder.path() / "empty"};
  search.systemFiles = {m_folder.path() / "no.sf2"};
  const auto none = findSoundFont(search);
  QVERIFY(!none.ok());
  QVERIFY(none.error().message.find("timgm6mb-soundfont") != std::string::npos);
  QVERIFY(none.error().message.find((m_folder.path() / "no.sf2").string()) != std::string::npos);
}

void TestSoundFont::synthRefusesWhatItCannotLoad() {
  test::writeBytes(m_folder.path() / "fake2.sf2", kFakeHeader);
  SynthSettings settings;
  settings.soundFont = m_folder.path() / "fake2.sf2";
  const auto synth = Synth::create(settings);
  QVERIFY(!synth.ok());
  QCOMPARE(synth.error().kind, ErrorKind::Corrupt);
  settings.soundFont.clear();
  QVERIFY(!Synth::create(settings).ok());
  settings.soundFont = m_folder.path() / "fake2.sf2";
  settings.sampleRate = 100;
  QVERIFY(Synth::create(settings).error().message.find("sample rate") != std::string::npos);
}

QTEST_APPLESS_MAIN(TestSoundFont)
#include "tst_soundfont.moc"
