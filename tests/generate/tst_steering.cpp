#include "generatesupport.h"

#include "evaluate/calibration.h"
#include "generate/generator.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

#include <QtTest>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

using namespace lyrebird;
using namespace lyrebird::generate;

/// The steering controls a musician understands move the measure each names, in the direction it
/// says, over several seeds: note density, dynamics, repetition.
class TestSteering : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase();
  void densityMovesTheNumberOfNotes();
  void dynamicsSetTheVelocityRange();
  void repeatMovesRepetition();
  void theRepeatDefaultIsTheModels();
  void calibrationMeetsTheTrainingMusicsRepetition();
  void aCalibratedModelDrawsAtItsMeasuredRepeat();
  void badValuesAreRefused();

private:
  test::TempFolder m_folder;
  std::unique_ptr<Generator> m_generator; // a tiny grid model (keys normalized, repeat labels)
};

namespace {

constexpr std::uint64_t kSeeds = 6;

struct Measured {
  double notes = 0;        // per take
  double meanVelocity = 0; // over every note
  int minVelocity = 127, maxVelocity = 0;
  double repeatedBars = 0; // share of bars whose notes (place in the bar, pitch) are the bar before's
};

Measured measure(Generator& generator, GenerateOptions options) {
  Measured m;
  double velocitySum = 0;
  std::size_t notes = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    options.seed = seed;
    const Result<midi::Score> piece = generator.generate(options);
    if (!piece) qFatal("generate failed: %s", piece.error().message.c_str());
    const std::int64_t bar = 4 * piece->ticksPerQuarter; // the scales are in 4/4
    std::map<std::int64_t, std::set<std::pair<std::int64_t, int>>> bars;
    for (const midi::Track& t : piece->tracks) {
      for (const midi::Note& n : t.notes) {
        velocitySum += n.velocity;
        ++notes;
        m.minVelocity = std::min<int>(m.minVelocity, n.velocity);
        m.maxVelocity = std::max<int>(m.maxVelocity, n.velocity);
        bars[n.startTicks / bar].insert({n.startTicks % bar, n.pitch});
      }
    }
    int repeated = 0;
    for (const auto& [index, content] : bars) {
      const auto before = bars.find(index - 1);
      repeated += before != bars.end() && before->second == content;
    }
    if (bars.size() > 1) m.repeatedBars += static_cast<double>(repeated) / static_cast<double>(bars.size() - 1);
  }
  m.notes = static_cast<double>(notes) / kSeeds;
  m.meanVelocity = notes ? velocitySum / static_cast<double>(notes) : 0;
  m.repeatedBars /= kSeeds;
  return m;
}

} // namespace

void TestSteering::initTestCase() {
  const std::filesystem::path model = m_folder.path() / "grid.lyrebird";
  const std::string failed = test::trainTo(test::scalesCorpus(), test::tinyGridConfig(32, 2, 32, 20), model);
  QVERIFY2(failed.empty(), failed.c_str());
  Result<std::unique_ptr<Generator>> loaded = Generator::load(model);
  QVERIFY(loaded.ok());
  m_generator = std::move(loaded.value());
}

void TestSteering::densityMovesTheNumberOfNotes() {
  GenerateOptions options;
  options.length = {Length::Unit::Bars, 8};
  options.density = -3;
  const double fewer = measure(*m_generator, options).notes;
  options.density = 0;
  const double learned = measure(*m_generator, options).notes;
  options.density = 3;
  const double more = measure(*m_generator, options).notes;
  qInfo("notes per 8-bar take: density -3 %.1f, 0 %.1f, +3 %.1f", fewer, learned, more);
  QVERIFY(fewer < learned);
  QVERIFY(learned < more);
}

void TestSteering::dynamicsSetTheVelocityRange() {
  GenerateOptions options;
  options.length = {Length::Unit::Bars, 8};
  options.minVelocity = 20;
  options.maxVelocity = 50;
  const Measured soft = measure(*m_generator, options);
  options.minVelocity = 90;
  options.maxVelocity = 120;
  const Measured loud = measure(*m_generator, options);
  QVERIFY(soft.minVelocity >= 20 && soft.maxVelocity <= 50);
  QVERIFY(loud.minVelocity >= 90 && loud.maxVelocity <= 120);
  QVERIFY(loud.meanVelocity > soft.meanVelocity + 40);
  // The model's accents stay: a range keeps more than one loudness when the model wrote several.
  options.minVelocity = 1;
  options.maxVelocity = 127;
  if (const Measured learned = measure(*m_generator, options); learned.maxVelocity > learned.minVelocity)
    QVERIFY(loud.maxVelocity > loud.minVelocity);
}

void TestSteering::repeatMovesRepetition() {
  GenerateOptions options;
  options.length = {Length::Unit::Bars, 8};
  options.maxRepeatBars = 0; // the loop guard would cap the repeating side
  options.repeat = -4;
  const double vary = measure(*m_generator, options).repeatedBars;
  options.repeat = 4;
  const double repeat = measure(*m_generator, options).repeatedBars;
  qInfo("bars repeating the bar before: repeat -4 %.3f, +4 %.3f", vary, repeat);
  QVERIFY(repeat > vary);
}

void TestSteering::theRepeatDefaultIsTheModels() {
  // A small network gets the stronger push; left out, the option is the model's default.
  QCOMPARE(m_generator->defaultRepeat(), GenerateOptions::kRepeatSmallNetwork);
  GenerateOptions options;
  options.length = {Length::Unit::Bars, 8};
  options.seed = 4;
  QVERIFY(!options.repeat.has_value());
  const Result<midi::Score> byDefault = m_generator->generate(options);
  options.repeat = GenerateOptions::kRepeatSmallNetwork;
  const Result<midi::Score> given = m_generator->generate(options);
  options.repeat = GenerateOptions::kRepeatSmallNetwork + 3.0;
  const Result<midi::Score> other = m_generator->generate(options);
  QVERIFY(byDefault.ok() && given.ok() && other.ok());
  QVERIFY(byDefault.value() == given.value());
  QVERIFY(!(byDefault.value() == other.value()));
  // A large one (3 x 256, as the bundled model) the gentler one, once it learned much music
  // (many steps, or it started from another model); a few steps of it still need the push.
  const std::filesystem::path large = m_folder.path() / "large.lyrebird";
  const std::string failed = test::trainTo(test::scalesCorpus(), test::tinyGridConfig(256, 3, 16, 1), large);
  QVERIFY2(failed.empty(), failed.c_str());
  const Result<train::Checkpoint> stored = train::readCheckpoint(large);
  QVERIFY(stored.ok());
  QVERIFY(stored->progress.step < GenerateOptions::kWellTrainedSteps);
  auto defaultFor = [](train::Checkpoint checkpoint) {
    const Result<std::unique_ptr<Generator>> loaded = Generator::fromCheckpoint(std::move(checkpoint));
    return loaded.ok() ? (*loaded)->defaultRepeat() : -100.0;
  };
  QCOMPARE(defaultFor(*stored), GenerateOptions::kRepeatSmallNetwork);
  train::Checkpoint longer = *stored;
  longer.progress.step = GenerateOptions::kWellTrainedSteps;
  QCOMPARE(defaultFor(longer), GenerateOptions::kRepeatLargeNetwork);
  train::Checkpoint fineTuned = *stored;
  fineTuned.config.baseModel = "demo";
  QCOMPARE(defaultFor(fineTuned), GenerateOptions::kRepeatLargeNetwork);
}

void TestSteering::calibrationMeetsTheTrainingMusicsRepetition() {
  const corpus::Corpus corpus = test::scalesCorpus();
  const train::TrainingConfig& config = m_generator->trainingConfig();
  const evaluate::HeldOutMusic music = evaluate::heldOutMusic(corpus, config.validFraction, config.seed, 8.0);
  QVERIFY(!music.trainingOpenings.empty());
  double target = 0.0;
  for (const evaluate::MusicMetrics& m : music.trainingOpenings)
    target += m.distinct4gramRatio / static_cast<double>(music.trainingOpenings.size());
  GenerateOptions options;
  options.length = {Length::Unit::Seconds, 8};
  evaluate::CalibrationOptions calibration;
  calibration.takes = 3;
  const Result<evaluate::RepeatCalibration> result =
      evaluate::calibrateRepeat(*m_generator, music, options, calibration);
  QVERIFY2(result.ok(), result.ok() ? "" : result.error().describe().c_str());
  const train::SamplingCalibration& s = result->sampling;
  QCOMPARE(s.targetRatio, target);
  QCOMPARE(s.takes, 3);
  QCOMPARE(s.seconds, 8.0);
  QVERIFY(s.repeat >= calibration.lowest && s.repeat <= calibration.highest);
  // The search starts at the model's default; the setting chosen is one it measured, with the
  // ratio measured there.
  QVERIFY(result->probes.size() >= 2);
  QCOMPARE(result->probes.front().repeat, m_generator->defaultRepeat());
  QVERIFY(std::any_of(result->probes.begin(), result->probes.end(), [&](const evaluate::RepeatProbe& p) {
    return p.repeat == s.repeat && p.ratio == s.achievedRatio;
  }));
  // It measured inside the band, or none did and it is the last probe (an end of the range).
  if (std::abs(s.achievedRatio - target) > calibration.tolerance) {
    for (const evaluate::RepeatProbe& p : result->probes)
      QVERIFY(std::abs(p.ratio - target) > calibration.tolerance);
    QCOMPARE(result->probes.back().repeat, s.repeat);
  }
  // Inside the range the choice lies between a probe that repeats less than the music and one
  // that repeats more (what it interpolates between); at an end of it, every probe on the way
  // missed the target on the same side.
  double belowSetting = -100, aboveSetting = 100;
  bool lessRepetition = false, moreRepetition = false;
  for (const evaluate::RepeatProbe& p : result->probes) {
    (p.ratio >= target ? lessRepetition : moreRepetition) = true;
    if (p.repeat <= s.repeat) belowSetting = std::max(belowSetting, p.repeat);
    if (p.repeat >= s.repeat) aboveSetting = std::min(aboveSetting, p.repeat);
  }
  qInfo("repeat %.2f: distinct 4-gram ratio %.3f against the training openings' %.3f, %zu probes", s.repeat,
        s.achievedRatio, target, result->probes.size());
  if (s.repeat > calibration.lowest && s.repeat < calibration.highest) {
    QVERIFY(lessRepetition && moreRepetition);
    QVERIFY(aboveSetting - belowSetting <= calibration.step / 2.0 + 1e-9);
  } else {
    QVERIFY(lessRepetition != moreRepetition);
  }
  // A target inside what the model can reach, with no tolerance: the search brackets it and
  // interpolates between two probes at most step / 2 apart that miss it on either side.
  calibration.tolerance = 0.0;
  calibration.highest = 10.0; // this tiny network needs a hard push to repeat at all
  calibration.step = 2.0;
  options.maxRepeatBars = 0; // nor may the loop guard cap it
  options.length = {Length::Unit::Seconds, 30};
  auto ratioAt = [&](double repeat) {
    GenerateOptions o = options;
    o.repeat = repeat;
    double ratio = 0.0;
    for (int i = 0; i < calibration.takes; ++i) {
      o.seed = calibration.firstSeed + static_cast<std::uint64_t>(i);
      const Result<midi::Score> take = m_generator->generate(o);
      if (!take) qFatal("generate failed");
      ratio += evaluate::measure(*take).distinct4gramRatio / calibration.takes;
    }
    return ratio;
  };
  const double varied = ratioAt(calibration.lowest);
  const double repeated = ratioAt(calibration.highest);
  qInfo("distinct 4-gram ratio of 30 s takes: repeat %.1f %.3f, %.1f %.3f", calibration.lowest, varied,
        calibration.highest, repeated);
  QVERIFY(varied > repeated + 0.05);
  evaluate::HeldOutMusic between = music;
  between.trainingOpenings.assign(1, {});
  between.trainingOpenings[0].distinct4gramRatio = (varied + repeated) / 2.0;
  const Result<evaluate::RepeatCalibration> inside =
      evaluate::calibrateRepeat(*m_generator, between, options, calibration);
  QVERIFY(inside.ok());
  const double aim = inside->sampling.targetRatio;
  bool under = false, over = false;
  for (const evaluate::RepeatProbe& p : inside->probes) {
    if (std::abs(p.repeat - inside->sampling.repeat) > calibration.step / 2.0 + 1e-9) continue;
    (p.ratio >= aim ? under : over) = true;
  }
  qInfo("aimed at %.3f: repeat %.2f, %.3f, %zu probes", aim, inside->sampling.repeat, inside->sampling.achievedRatio,
        inside->probes.size());
  QVERIFY(inside->sampling.repeat > calibration.lowest && inside->sampling.repeat < calibration.highest);
  QVERIFY(under && over);
  // The same model, music and options: the same answer (fixed seeds).
  const Result<evaluate::RepeatCalibration> again =
      evaluate::calibrateRepeat(*m_generator, between, options, calibration);
  QVERIFY(again.ok());
  QCOMPARE(again->sampling.repeat, inside->sampling.repeat);
  QCOMPARE(again->probes.size(), inside->probes.size());
  // Nothing to measure against, and a stop request: said as such.
  const Result<evaluate::RepeatCalibration> empty =
      evaluate::calibrateRepeat(*m_generator, evaluate::HeldOutMusic{}, options, calibration);
  QVERIFY(!empty.ok() && empty.error().kind == ErrorKind::NoMusic);
  std::stop_source stop;
  stop.request_stop();
  const Result<evaluate::RepeatCalibration> stopped =
      evaluate::calibrateRepeat(*m_generator, music, options, calibration, stop.get_token());
  QVERIFY(!stopped.ok() && stopped.error().kind == ErrorKind::Cancelled);
}

void TestSteering::aCalibratedModelDrawsAtItsMeasuredRepeat() {
  const std::filesystem::path model = m_folder.path() / "calibrated.lyrebird";
  const std::string failed = test::trainTo(test::scalesCorpus(), test::tinyGridConfig(32, 2, 32, 4), model);
  QVERIFY2(failed.empty(), failed.c_str());
  evaluate::CalibrationOptions calibration;
  calibration.takes = 2;
  const Result<evaluate::RepeatCalibration> result =
      evaluate::calibrateModelFile(model, test::scalesCorpus(), calibration);
  QVERIFY2(result.ok(), result.ok() ? "" : result.error().describe().c_str());
  // The file keeps the setting; a generator loaded from it draws there when options leave repeat out.
  const Result<train::Checkpoint> stored = train::readCheckpoint(model);
  QVERIFY(stored.ok() && stored->sampling.has_value());
  QCOMPARE(stored->sampling->repeat, result->sampling.repeat);
  QCOMPARE(stored->sampling->seconds, 30.0); // the app's takes
  Result<std::unique_ptr<Generator>> loaded = Generator::load(model);
  QVERIFY(loaded.ok());
  Generator& generator = **loaded;
  QCOMPARE(generator.defaultRepeat(), result->sampling.repeat);
  QVERIFY(generator.describe().find("measured on its music") != std::string::npos);
  GenerateOptions options;
  options.length = {Length::Unit::Bars, 8};
  options.seed = 5;
  const Result<midi::Score> byDefault = generator.generate(options);
  options.repeat = result->sampling.repeat;
  const Result<midi::Score> given = generator.generate(options);
  QVERIFY(byDefault.ok() && given.ok());
  QVERIFY(byDefault.value() == given.value());
  // Training on writes fresh checkpoints: the next network is not the measured one.
  train::TrainingJob job;
  job.config = test::tinyGridConfig(32, 2, 32, 5);
  job.output = model;
  job.resume = true;
  train::TrainingControl control;
  QVERIFY(train::runTraining(test::scalesCorpus(), job, control, {}, {}).ok());
  const Result<train::Checkpoint> resumed = train::readCheckpoint(model);
  QVERIFY(resumed.ok() && !resumed->sampling.has_value());
}

void TestSteering::badValuesAreRefused() {
  GenerateOptions options;
  options.minVelocity = 100;
  options.maxVelocity = 50;
  QVERIFY(!m_generator->generate(options).ok());
  options.minVelocity = 1;
  options.maxVelocity = 127;
  options.density = 50;
  QVERIFY(!m_generator->generate(options).ok());
}

QTEST_GUILESS_MAIN(TestSteering)
#include "tst_steering.moc"
