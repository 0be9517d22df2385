#include "audiotestsupport.h"
#include "testsupport.h"

#include "audio/renderer.h"
#include "midi/sequence.h"

#include <QtTest>

#include <sndfile.h>

#include <cstdlib>

using namespace lyrebird;
using namespace lyrebird::audio;

// Offline rendering, including a golden render in the manner of FluidSynth's own tests:
// a fixed Score through a fixed SoundFont, compared with a stored reference.
class TestRenderer : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void init() { LYREBIRD_REQUIRE_SOUNDFONT(); }
  void goldenRender();
  void exactLengthAndSilenceWhereNothingPlays();
  void fileFormats_data();
  void fileFormats();
  void unwritablePathLeavesNothing();
  void cancelLeavesNothing();
  void formatFromPathNamesTheProblem();
  void deterministicAcrossThreadCounts();

private:
  test::TempFolder m_folder;
};

namespace {

const std::filesystem::path kGolden = test::sourceDir() / "tests/data/golden/golden-score-22050.wav";

struct Audio {
  SF_INFO info{};
  std::vector<float> samples; // interleaved
};

Audio readAudio(const std::filesystem::path& path) {
  Audio audio;
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &audio.info);
  if (!f) return audio;
  audio.samples.resize(static_cast<std::size_t>(audio.info.frames * audio.info.channels));
  sf_readf_float(f, audio.samples.data(), audio.info.frames);
  sf_close(f);
  return audio;
}

RenderOptions goldenOptions() {
  RenderOptions options;
  options.synth = test::testSynth(22050.0);
  options.tailSeconds = 1.0;
  return options;
}

} // namespace

void TestRenderer::goldenRender() {
  const Result<std::vector<float>> rendered = renderToMemory(test::goldenScore(), goldenOptions());
  QVERIFY(rendered.ok());
  if (std::getenv("LYREBIRD_UPDATE_GOLDEN")) {
    RenderOptions options = goldenOptions();
    QVERIFY(renderToFile(test::goldenScore(), kGolden, options).ok());
    QSKIP("golden reference rewritten");
  }
  const Audio golden = readAudio(kGolden);
  QVERIFY2(!golden.samples.empty(), "tests/data/golden/golden-score-22050.wav is missing");
  QCOMPARE(golden.info.samplerate, 22050);
  QCOMPARE(golden.samples.size(), rendered->size());
  // The reference is 16-bit: one quantisation step, plus room for FluidSynth's own
  // floating-point differences between builds.
  double worst = 0.0, errorEnergy = 0.0, signalEnergy = 0.0;
  for (std::size_t i = 0; i < rendered->size(); ++i) {
    const double d = (*rendered)[i] - golden.samples[i];
    worst = std::max(worst, std::abs(d));
    errorEnergy += d * d;
    signalEnergy += golden.samples[i] * golden.samples[i];
  }
  QVERIFY2(worst < 4.0 / 32768.0, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
  QVERIFY(signalEnergy > 0.0);
  QVERIFY2(errorEnergy / signalEnergy < 1e-6, qPrintable(QString::number(errorEnergy / signalEnergy)));
}

void TestRenderer::exactLengthAndSilenceWhereNothingPlays() {
  RenderOptions options = goldenOptions();
  const midi::Score score = test::goldenScore();
  const Result<std::vector<float>> audio = renderToMemory(score, options);
  QVERIFY(audio.ok());
  const double last = sequenceFromScore(score).back().seconds; // the last melody note's release
  QCOMPARE(last, 1640.0 / 960.0);
  const auto frames = static_cast<std::size_t>(std::ceil((last + options.tailSeconds) * 22050.0));
  QCOMPARE(audio->size(), 2 * frames);
  const double lead = test::rms(*audio, 0, 22050 / 4 - 64); // before the first note
  const double body = test::rms(*audio, 22050 / 4, 22050);  // while it plays
  QVERIFY2(lead < 1e-6, qPrintable(QString::number(lead)));
  QVERIFY2(body > 0.01, qPrintable(QString::number(body)));
  QVERIFY(test::rms(*audio, 0, frames, 1) > 0.001); // both channels sound
}

void TestRenderer::fileFormats_data() {
  QTest::addColumn<QString>("name");
  QTest::addColumn<int>("bits");
  QTest::addColumn<int>("expectedFormat");
  QTest::addColumn<double>("sampleRate");
  QTest::newRow("wav 16") << "a.wav" << 16 << (SF_FORMAT_WAV | SF_FORMAT_PCM_16) << 44100.0;
  QTest::newRow("wav 24 48k") << "b.WAV" << 24 << (SF_FORMAT_WAV | SF_FORMAT_PCM_24) << 48000.0;
  QTest::newRow("wav float") << "c.wav" << 32 << (SF_FORMAT_WAV | SF_FORMAT_FLOAT) << 44100.0;
  QTest::newRow("flac 16") << "d.flac" << 16 << (SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << 44100.0;
  QTest::newRow("flac 24") << "e.flac" << 24 << (SF_FORMAT_FLAC | SF_FORMAT_PCM_24) << 48000.0;
  QTest::newRow("ogg") << "f.ogg" << 16 << (SF_FORMAT_OGG | SF_FORMAT_VORBIS) << 44100.0;
}

void TestRenderer::fileFormats() {
  QFETCH(QString, name);
  QFETCH(int, bits);
  QFETCH(int, expectedFormat);
  QFETCH(double, sampleRate);
  RenderOptions options = goldenOptions();
  options.synth.sampleRate = sampleRate;
  options.sampleFormat = bits == 16 ? SampleFormat::Pcm16 : bits == 24 ? SampleFormat::Pcm24 : SampleFormat::Float;
  const auto path = m_folder.path() / name.toStdString();
  std::vector<double> progress;
  const auto stats = renderToFile(test::goldenScore(), path, options, [&](double p) { progress.push_back(p); });
  QVERIFY2(stats.ok(), stats.ok() ? "" : stats.error().describe().c_str());
  QVERIFY(!progress.empty());
  QCOMPARE(progress.back(), 1.0);
  QVERIFY(stats->peak > 0.01f && stats->peak < 1.0f);
  const Audio audio = readAudio(path);
  QCOMPARE(audio.info.format, expectedFormat);
  QCOMPARE(audio.info.channels, 2);
  QCOMPARE(audio.info.samplerate, static_cast<int>(sampleRate));
  QCOMPARE(audio.info.frames, static_cast<sf_count_t>(stats->frames));
  QVERIFY(test::rms(audio.samples, 0, static_cast<std::size_t>(audio.info.frames)) > 0.005);
  // Only the finished file is left in the folder: no temporary.
  for (const auto& entry : std::filesystem::directory_iterator(m_folder.path())) {
    QVERIFY2(entry.path().filename().string().find(".part") == std::string::npos, entry.path().c_str());
  }
}

void TestRenderer::unwritablePathLeavesNothing() {
  const auto missingFolder = m_folder.path() / "no-such-folder" / "out.wav";
  const auto result = renderToFile(test::goldenScore(), missingFolder, goldenOptions());
  QVERIFY(!result.ok());
  QCOMPARE(result.error().kind, ErrorKind::Io);
  QVERIFY(!std::filesystem::exists(missingFolder));
  RenderOptions floatFlac = goldenOptions();
  floatFlac.sampleFormat = SampleFormat::Float;
  QVERIFY(!renderToFile(test::goldenScore(), m_folder.path() / "x.flac", floatFlac).ok());
}

void TestRenderer::cancelLeavesNothing() {
  const auto path = m_folder.path() / "cancelled.wav";
  std::stop_source stop;
  midi::Score longScore = test::goldenScore();
  longScore.tracks[0].notes.push_back({480 * 600, 480, 60, 90}); // five minutes
  const auto result = renderToFile(
      longScore, path, goldenOptions(), [&](double) { stop.request_stop(); }, stop.get_token());
  QVERIFY(!result.ok());
  QCOMPARE(result.error().kind, ErrorKind::Cancelled);
  QVERIFY(!std::filesystem::exists(path));
  for (const auto& entry : std::filesystem::directory_iterator(m_folder.path())) {
    QVERIFY2(entry.path().filename().string().find("cancelled") == std::string::npos, entry.path().c_str());
  }
}

void TestRenderer::formatFromPathNamesTheProblem() {
  QCOMPARE(*formatFromPath("x.Flac"), FileFormat::Flac);
  QCOMPARE(*formatFromPath("x.oga"), FileFormat::Ogg);
  const auto mp3 = formatFromPath("x.mp3");
  QVERIFY(!mp3.ok());
  QVERIFY(mp3.error().message.find(".mp3") != std::string::npos);
}

void TestRenderer::deterministicAcrossThreadCounts() {
  RenderOptions one = goldenOptions();
  RenderOptions two = goldenOptions();
  two.synth.threads = 2;
  const Result<std::vector<float>> first = renderToMemory(test::goldenScore(), one);
  const Result<std::vector<float>> second = renderToMemory(test::goldenScore(), two);
  QVERIFY2(first.ok(), first.ok() ? "" : first.error().describe().c_str());
  QVERIFY2(second.ok(), second.ok() ? "" : second.error().describe().c_str());
  QVERIFY(!first->empty());
  QCOMPARE(*first, *second);
}

QTEST_APPLESS_MAIN(TestRenderer)
#include "tst_renderer.moc"
