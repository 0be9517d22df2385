#include "generatesupport.h"

#include "generate/generator.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

#include <QtTest>

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
