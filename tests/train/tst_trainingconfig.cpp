#include "train/trainingconfig.h"

#include <QtTest>

using namespace lyrebird;
using namespace lyrebird::train;

class TestTrainingConfig : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void seedPresetsAreFaithful();
  void defaultPreset();
  void unknownPreset();
  void serializeRoundTrip_data();
  void serializeRoundTrip();
  void validationCatchesBadValues();
};

void TestTrainingConfig::seedPresetsAreFaithful() {
  for (const char* name : {"seed-single", "seed-stacked"}) {
    const Result<TrainingConfig> c = TrainingConfig::fromPreset(name);
    QVERIFY(c.ok());
    QCOMPARE(c->tokenizer.kind, tokenize::TokenizerConfig::Kind::NoteChord);
    QCOMPARE(c->model.input, model::ModelConfig::Input::Scalar);
    QCOMPARE(c->model.objective, model::ModelConfig::Objective::Last);
    QCOMPARE(c->sequenceLength, 100);
    QCOMPARE(c->batch, 64);
    QCOMPARE(c->optimizer, TrainingConfig::Optimizer::RmsProp);
    QCOMPARE(c->learningRate, 1e-3);
    QCOMPARE(c->model.hidden, 512);
  }
  QCOMPARE(TrainingConfig::fromPreset("seed-single")->model.layers, 1);
  QCOMPARE(TrainingConfig::fromPreset("seed-single")->model.arch, model::ModelConfig::Arch::Single);
  QCOMPARE(TrainingConfig::fromPreset("seed-stacked")->model.layers, 3);
  QCOMPARE(TrainingConfig::fromPreset("seed-stacked")->model.denseSize, 256);
  QCOMPARE(TrainingConfig::fromPreset("seed-stacked")->model.dropout, 0.3);
}

void TestTrainingConfig::defaultPreset() {
  const Result<TrainingConfig> c = TrainingConfig::fromPreset("default");
  QVERIFY(c.ok());
  // The tokenizer is chosen from the corpus (grid for metrical music); keys are normalized.
  QVERIFY(c->autoTokenizer);
  QCOMPARE(c->tokenizer.kind, tokenize::TokenizerConfig::Kind::Grid);
  QVERIFY(c->normalizeKeys);
  QVERIFY(!TrainingConfig::fromPreset("seed-single")->autoTokenizer);
  QVERIFY(!TrainingConfig::fromPreset("seed-single")->normalizeKeys);
  QCOMPARE(c->model.input, model::ModelConfig::Input::Embedding);
  QCOMPARE(c->model.objective, model::ModelConfig::Objective::All);
  QCOMPARE(c->optimizer, TrainingConfig::Optimizer::Adam);
  QVERIFY(c->gradientClip > 0);
  // Transposition is chosen by the trainer from the size of the music (measured, see autoTranspose()).
  QCOMPARE(c->transpose, TrainingConfig::kTransposeAuto);
  QVERIFY(c->validate().ok());
  QCOMPARE(TrainingConfig::autoTranspose(135000), 3);  // the 48-piece demo corpus
  QCOMPARE(TrainingConfig::autoTranspose(1900000), 0); // nottingham
  QCOMPARE(TrainingConfig::autoTranspose(TrainingConfig::kAutoTransposeTokens - 1), 3);
  QCOMPARE(TrainingConfig::autoTranspose(TrainingConfig::kAutoTransposeTokens), 0);
  // So is the network's size (measured, see applyAutoSize()); the preset says 3 x 256 until then.
  QVERIFY(c->autoSize);
  QVERIFY(c->model.repeatLabels && c->model.lookback);
  QVERIFY(c->barClock); // the trainer sizes the clock from the tokenizer
  QVERIFY(!c->model.hasBarClock());
  QVERIFY(!TrainingConfig::fromPreset("seed-stacked")->barClock);
  TrainingConfig sized = *c;
  sized.applyAutoSize(139408); // the demo corpus
  QCOMPARE(sized.model.layers, 2);
  QCOMPARE(sized.model.hidden, 192);
  QCOMPARE(sized.learningRate, 3e-3);
  sized.applyAutoSize(TrainingConfig::kSmallMusicTokens);
  QCOMPARE(sized.model.layers, 3);
  QCOMPARE(sized.model.hidden, 256);
  QCOMPARE(sized.learningRate, 2e-3);
  QVERIFY(!TrainingConfig::fromPreset("seed-stacked")->autoSize);
  QCOMPARE(TrainingConfig::parse(sized.serialize())->autoSize, true);
  TrainingConfig bad = *c;
  bad.transpose = -2;
  QVERIFY(!bad.validate().ok());
  bad.transpose = 25;
  QVERIFY(!bad.validate().ok());
}

void TestTrainingConfig::unknownPreset() {
  const Result<TrainingConfig> c = TrainingConfig::fromPreset("mozart");
  QVERIFY(!c.ok());
  QVERIFY(QString::fromStdString(c.error().message).contains(u"seed-single"));
}

void TestTrainingConfig::serializeRoundTrip_data() {
  QTest::addColumn<QString>("preset");
  for (const std::string& name : TrainingConfig::presetNames())
    QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestTrainingConfig::serializeRoundTrip() {
  QFETCH(QString, preset);
  TrainingConfig c = *TrainingConfig::fromPreset(preset.toStdString());
  c.learningRate = 0.00123456789;
  c.seed = 18446744073709551615ull;
  c.model.vocabularySize = 1234;
  c.corpusKeys[0] = 7;  // C major
  c.corpusKeys[21] = 4; // A minor
  c.corpusKeys[23] = 4000000000u;
  c.corpusTempoBpm = 96.5;
  c.corpusTemposBpm = {52.5, 96.5, 180.25};
  if (c.model.lookback) { // as the trainer leaves it for grid tokens
    c.model.clockMeters = 29;
    c.model.clockSteps = 97;
  }
  const Result<TrainingConfig> back = TrainingConfig::parse(c.serialize());
  QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
  QCOMPARE(back->serialize(), c.serialize());
  QCOMPARE(back->learningRate, c.learningRate);
  QCOMPARE(back->seed, c.seed);
  QVERIFY(back->model == c.model);
  QVERIFY(back->tokenizer == c.tokenizer);
  QCOMPARE(back->corpusKeys, c.corpusKeys);
  QCOMPARE(back->corpusTempoBpm, 96.5);
  QCOMPARE(back->corpusTemposBpm, c.corpusTemposBpm);
  // A model from before the tempos were kept has none; a tempo of 0 is refused.
  TrainingConfig older = c;
  older.corpusTemposBpm.clear();
  QVERIFY(TrainingConfig::parse(older.serialize())->corpusTemposBpm.empty());
  TrainingConfig zero = c;
  zero.corpusTemposBpm.front() = 0.0;
  QVERIFY(!zero.validate().ok());
  QVERIFY(!TrainingConfig::parse(zero.serialize()).ok());
  QCOMPARE(back->autoTokenizer, c.autoTokenizer);
  QCOMPARE(back->normalizeKeys, c.normalizeKeys);
  QCOMPARE(back->barClock, c.barClock);
  // A clock without lookback inputs, or with one of its two sizes, is refused.
  TrainingConfig clockAlone = c;
  clockAlone.model.input = model::ModelConfig::Input::Embedding; // lookback inputs need one
  clockAlone.model.lookback = false;
  clockAlone.model.repeatLabels = false;
  clockAlone.model.clockMeters = clockAlone.model.clockSteps = 4;
  QVERIFY(!clockAlone.validate().ok());
  clockAlone.model.lookback = true;
  QVERIFY(clockAlone.validate().ok());
  clockAlone.model.clockSteps = 0;
  QVERIFY(!clockAlone.validate().ok());
  // A damaged key list is refused.
  std::string text = c.serialize();
  const std::size_t at = text.find("corpus_keys=");
  QVERIFY(at != std::string::npos);
  QVERIFY(!TrainingConfig::parse(text.substr(0, at) + "corpus_keys=1,2,3\n").ok());
}

void TestTrainingConfig::validationCatchesBadValues() {
  TrainingConfig c = *TrainingConfig::fromPreset("default");
  c.batch = 0;
  QVERIFY(!c.validate().ok());
  c = *TrainingConfig::fromPreset("default");
  c.model.dropout = 1.5;
  QVERIFY(!c.validate().ok());
  c = *TrainingConfig::fromPreset("default");
  c.learningRate = -1;
  QVERIFY(!c.validate().ok());
  QVERIFY(!TrainingConfig::parse("batch=12\nwhat=1\n").ok());
}

QTEST_GUILESS_MAIN(TestTrainingConfig)
#include "tst_trainingconfig.moc"
