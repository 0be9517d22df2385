#include "testsupport.h"

#include "corpus/split.h"
#include "evaluate/modelevaluation.h"
#include "train/dataset.h"
#include "train/trainingconfig.h"

#include <QtTest>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace lyrebird;

class TestModelEvaluation : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void heldOutFilesAreExactlyThoseTheTrainerNeverSaw_data();
  void heldOutFilesAreExactlyThoseTheTrainerNeverSaw();
  void openingsAreAsLongAsAsked();
  void takesAreComparedInGroupsByModelAndTemperature();
};

namespace {

/// `files` pieces of 16 quarter notes each (a scale from a different pitch per file), under the
/// relative paths given; one more entry that failed to load.
corpus::Corpus corpusAt(const std::vector<std::string>& paths) {
  std::vector<midi::Score> scores;
  for (std::size_t f = 0; f < paths.size(); ++f) {
    midi::Track track;
    for (int i = 0; i < 16; ++i) {
      track.notes.push_back({i * 480, 480, static_cast<std::uint8_t>(48 + static_cast<int>(f % 12) + i), 90});
    }
    midi::Score score;
    score.ticksPerQuarter = 480;
    score.tracks = {track};
    scores.push_back(std::move(score));
  }
  corpus::Corpus c = test::memoryCorpus(std::move(scores));
  for (std::size_t f = 0; f < paths.size(); ++f) {
    c.files[f].relativePath = paths[f];
    c.files[f].path = c.root / paths[f];
  }
  corpus::CorpusFile broken;
  broken.relativePath = "broken.mid";
  broken.path = c.root / broken.relativePath;
  broken.error = Error{ErrorKind::Corrupt, broken.path.string(), 14, "not a MIDI file"};
  c.files.insert(c.files.begin() + 1, std::move(broken));
  return c;
}

std::vector<std::string> named(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back(prefix + "piece" + std::to_string(i) + ".mid");
  return out;
}

} // namespace

void TestModelEvaluation::heldOutFilesAreExactlyThoseTheTrainerNeverSaw_data() {
  QTest::addColumn<bool>("folders");
  QTest::addColumn<std::uint64_t>("seed");
  QTest::newRow("by hash, seed 1") << false << std::uint64_t{1};
  QTest::newRow("by hash, seed 7") << false << std::uint64_t{7};
  QTest::newRow("the folder's train/valid/test") << true << std::uint64_t{1};
}

void TestModelEvaluation::heldOutFilesAreExactlyThoseTheTrainerNeverSaw() {
  QFETCH(bool, folders);
  QFETCH(std::uint64_t, seed);
  std::vector<std::string> paths;
  if (folders) {
    for (const std::string& p : named("train/", 7))
      paths.push_back(p);
    for (const std::string& p : named("valid/", 2))
      paths.push_back(p);
    for (const std::string& p : named("test/", 3))
      paths.push_back(p);
  } else {
    paths = named("", 12);
  }
  const corpus::Corpus corpus = corpusAt(paths);
  train::TrainingConfig config = *train::TrainingConfig::fromPreset("default");
  config.validFraction = 0.25;
  config.seed = seed;
  config.transpose = 0;
  config.sequenceLength = 16; // the pieces are short
  const Result<train::TokenDataset> dataset = train::TokenDataset::build(corpus, config);
  QVERIFY2(dataset, dataset ? "" : dataset.error().describe().c_str());
  const evaluate::HeldOutMusic music = evaluate::heldOutMusic(corpus, config.validFraction, config.seed, 8.0);

  // The same training files, in the same order; nothing the trainer learned is held out.
  QCOMPARE(music.trainingPaths, dataset->trainFiles());
  const std::set<std::string> trained(dataset->trainFiles().begin(), dataset->trainFiles().end());
  for (const std::string& p : music.heldOutPaths)
    QVERIFY2(!trained.count(p), p.c_str());
  // Every file that loaded is on one side; the broken one on neither.
  std::set<std::string> all(trained);
  all.insert(music.heldOutPaths.begin(), music.heldOutPaths.end());
  QCOMPARE(all, std::set<std::string>(paths.begin(), paths.end()));
  QCOMPARE(music.trainFiles() + music.heldOutFiles(), paths.size());
  // The trainer validates on the held-out files that are not the corpus's own test pieces.
  std::vector<std::string> valid = dataset->validFiles();
  for (const std::string& p : valid)
    QVERIFY(std::find(music.heldOutPaths.begin(), music.heldOutPaths.end(), p) != music.heldOutPaths.end());
  if (folders) {
    QCOMPARE(valid, named("valid/", 2));
    QCOMPARE(music.heldOutFiles(), std::size_t{5});
  } else {
    QCOMPARE(valid, music.heldOutPaths);
    QCOMPARE(music.heldOutFiles(), std::size_t{3});
  }
}

void TestModelEvaluation::openingsAreAsLongAsAsked() {
  const corpus::Corpus corpus = corpusAt(named("", 8));
  // 16 quarter notes at the default 120 BPM last 8 s; openings of 2 s hold their first 4.
  const evaluate::HeldOutMusic music = evaluate::heldOutMusic(corpus, 0.25, 1, 2.0);
  QCOMPARE(music.heldOutOpenings.size(), music.heldOutFiles());
  QCOMPARE(music.trainingOpenings.size(), music.trainFiles());
  QCOMPARE(music.heldOutFeatures.size(), music.heldOutOpenings.size());
  for (const evaluate::MusicMetrics& m : music.heldOutOpenings)
    QCOMPARE(m.notes, std::size_t{4});
  QCOMPARE(music.trainingPitches.size(), music.trainFiles());
  for (const std::vector<int>& pitches : music.trainingPitches)
    QCOMPARE(pitches.size(), std::size_t{16});
}

void TestModelEvaluation::takesAreComparedInGroupsByModelAndTemperature() {
  const corpus::Corpus corpus = corpusAt(named("", 10));
  // Five takes: two of model b at 0.9, one of b at 1.0, two of a at 0.9 (the pieces themselves).
  std::vector<midi::Score> scores;
  for (std::size_t i = 0; i < 5; ++i)
    scores.push_back(*corpus.files[i == 0 ? 0 : i + 1].score);
  const std::vector<evaluate::LabelledTake> takes{{&scores[0], "b.lyrebird", 0.9},
                                                  {&scores[1], "a.lyrebird", 0.9},
                                                  {&scores[2], "b.lyrebird", 1.0},
                                                  {&scores[3], "b.lyrebird", 0.9},
                                                  {&scores[4], "a.lyrebird", 0.9}};
  const std::optional<evaluate::TakeComparison> c = evaluate::compareTakes(takes, corpus, 0.2, 1);
  QVERIFY(c.has_value());
  QVERIFY(c->music.reference.pieces > 0);
  QCOMPARE(c->evaluations.size(), std::size_t{5}); // in the takes' order
  QCOMPARE(c->evaluations[2].metrics.notes, scores[2].noteCount());
  QCOMPARE(c->groups.size(), std::size_t{3});
  QCOMPARE(c->groups[0].model, std::string("a.lyrebird"));
  QCOMPARE(c->groups[0].takes, 2);
  QCOMPARE(c->groups[1].model, std::string("b.lyrebird"));
  QCOMPARE(c->groups[1].temperature, 0.9);
  QCOMPARE(c->groups[1].takes, 2);
  QCOMPARE(c->groups[2].temperature, 1.0);
  QCOMPARE(c->groups[2].takes, 1);
  for (const evaluate::TakeGroup& g : c->groups) {
    QVERIFY(g.distances.pitchClass >= 0.0 && g.distances.ioi >= 0.0);
    QVERIFY(g.overlap >= 0.0 && g.overlap <= 1.0);
  }
  QCOMPARE(c->realPieces, 2); // as many training openings as the largest group
  // The openings are as long as the takes on average (16 quarters at 120 BPM: 8 s).
  QCOMPARE(c->music.openingSeconds, 8.0);

  // A stop request ends it without a result.
  std::stop_source stop;
  stop.request_stop();
  QVERIFY(!evaluate::compareTakes(takes, corpus, 0.2, 1, stop.get_token()).has_value());
}

QTEST_GUILESS_MAIN(TestModelEvaluation)
#include "tst_modelevaluation.moc"
