#include "evaluate/modelevaluation.h"

#include "corpus/split.h"
#include "generate/prime.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace lyrebird::evaluate {

HeldOutMusic heldOutMusic(const corpus::Corpus& corpus, double validFraction, std::uint64_t seed,
                          double openingSeconds) {
  corpus::SplitOptions options;
  options.validFraction = validFraction;
  options.seed = seed;
  const corpus::FileSplit split = corpus::splitCorpus(corpus, options);
  HeldOutMusic music;
  std::vector<const midi::Score*> heldOut;
  for (const std::vector<const corpus::CorpusFile*>* part : {&split.valid, &split.test}) {
    for (const corpus::CorpusFile* f : *part) {
      heldOut.push_back(&*f->score);
      music.heldOutPaths.push_back(f->relativePath);
    }
  }
  for (const corpus::CorpusFile* f : split.train) {
    music.trainingPitches.push_back(pitchSequence(*f->score));
    music.trainingPaths.push_back(f->relativePath);
  }
  music.reference = referenceProfile(heldOut);
  music.openingSeconds = openingSeconds;
  auto opening = [openingSeconds](const midi::Score& score) { return generate::excerpt(score, 0.0, openingSeconds); };
  for (const midi::Score* score : heldOut) {
    const midi::Score excerpt = opening(*score);
    MusicMetrics m = measure(excerpt);
    if (m.notes == 0) continue;
    music.heldOutFeatures.push_back(protocolFeatures(excerpt));
    music.heldOutPcHistDistance += histogramDistance(m.pitchClassHistogram, music.reference.mean.pitchClassHistogram);
    music.heldOutIoiHistDistance += histogramDistance(m.ioiHistogram, music.reference.mean.ioiHistogram);
    music.heldOutOpenings.push_back(std::move(m));
  }
  if (!music.heldOutOpenings.empty()) {
    music.heldOutPcHistDistance /= static_cast<double>(music.heldOutOpenings.size());
    music.heldOutIoiHistDistance /= static_cast<double>(music.heldOutOpenings.size());
  }
  for (const corpus::CorpusFile* f : split.train) {
    const midi::Score excerpt = opening(*f->score);
    MusicMetrics m = measure(excerpt);
    if (m.notes == 0) continue;
    music.trainingOpenings.push_back(std::move(m));
    music.trainingFeatures.push_back(protocolFeatures(excerpt));
  }
  return music;
}

SetDistances trainingMusicSetDistances(const HeldOutMusic& music, std::size_t count) {
  const std::size_t available = music.trainingOpenings.size();
  count = std::min(count, available);
  std::vector<MusicMetrics> chosen;
  for (std::size_t i = 0; i < count; ++i)
    chosen.push_back(music.trainingOpenings[i * available / count]);
  return setDistances(chosen, music.heldOutOpenings);
}

ProtocolComparison trainingMusicProtocol(const HeldOutMusic& music, std::size_t count) {
  const std::size_t available = music.trainingFeatures.size();
  count = std::min(count, available);
  std::vector<ProtocolFeatures> chosen;
  for (std::size_t i = 0; i < count; ++i)
    chosen.push_back(music.trainingFeatures[i * available / count]);
  return compareSets(chosen, music.heldOutFeatures);
}

double takeSeconds(const generate::GenerateOptions& options) {
  switch (options.length.unit) {
  case generate::Length::Unit::Seconds: return options.length.amount;
  case generate::Length::Unit::Bars:
    // 4/4 bars; at the model's own tempo (0) the written tempo is not known here: 120 BPM.
    return options.length.amount * 4.0 * 60.0 / (options.tempoBpm > 0.0 ? options.tempoBpm : 120.0);
  case generate::Length::Unit::Tokens: break;
  }
  return 30.0;
}

namespace {

MusicMetrics meanMetrics(const std::vector<MusicMetrics>& pieces) {
  std::vector<TakeEvaluation> openings(pieces.size());
  for (std::size_t i = 0; i < openings.size(); ++i)
    openings[i].metrics = pieces[i];
  return meanOf(openings).metrics;
}

} // namespace

MusicMetrics heldOutOpeningsMean(const HeldOutMusic& music) {
  return meanMetrics(music.heldOutOpenings);
}

MusicMetrics trainingOpeningsMean(const HeldOutMusic& music) {
  return meanMetrics(music.trainingOpenings);
}

TakeEvaluation meanOf(const std::vector<TakeEvaluation>& evaluations) {
  TakeEvaluation mean;
  mean.metrics.grooveConsistency = 0.0;
  if (evaluations.empty()) return mean;
  const double n = static_cast<double>(evaluations.size());
  double notes = 0, range = 0, used = 0, repeat = 0, copy = 0;
  for (const TakeEvaluation& e : evaluations) {
    const MusicMetrics& m = e.metrics;
    notes += static_cast<double>(m.notes);
    range += m.pitchRange;
    used += m.pitchesUsed;
    repeat += m.longestRepeat;
    copy += e.originality.longestCopyNotes;
    mean.metrics.seconds += m.seconds / n;
    mean.metrics.polyphony += m.polyphony / n;
    mean.metrics.scaleConsistency += m.scaleConsistency / n;
    mean.metrics.emptyBeatRate += m.emptyBeatRate / n;
    mean.metrics.noteDensity += m.noteDensity / n;
    mean.metrics.grooveConsistency += m.grooveConsistency / n;
    mean.metrics.distinct4gramRatio += m.distinct4gramRatio / n;
    for (std::size_t i = 0; i < 12; ++i)
      mean.metrics.pitchClassHistogram[i] += m.pitchClassHistogram[i] / n;
    for (std::size_t i = 0; i < kIoiBins; ++i)
      mean.metrics.ioiHistogram[i] += m.ioiHistogram[i] / n;
    mean.pcHistDistance += e.pcHistDistance / n;
    mean.ioiHistDistance += e.ioiHistDistance / n;
    mean.originality.copiedNgramShare += e.originality.copiedNgramShare / n;
  }
  mean.metrics.notes = static_cast<std::size_t>(std::llround(notes / n));
  mean.metrics.pitchRange = static_cast<int>(std::lround(range / n));
  mean.metrics.pitchesUsed = static_cast<int>(std::lround(used / n));
  mean.metrics.longestRepeat = static_cast<int>(std::lround(repeat / n));
  mean.originality.longestCopyNotes = static_cast<int>(std::lround(copy / n));
  return mean;
}

Result<ModelEvaluation> evaluateModel(generate::Generator& generator, const HeldOutMusic& music,
                                      generate::GenerateOptions options, int takes, std::stop_token stop) {
  ModelEvaluation result;
  const std::uint64_t firstSeed = options.seed;
  for (int i = 0; i < takes && !stop.stop_requested(); ++i) {
    options.seed = firstSeed + static_cast<std::uint64_t>(i);
    Result<midi::Score> take = generator.generate(options, {}, stop);
    if (!take) return take.error();
    result.evaluations.push_back(evaluateTake(*take, music.reference, music.trainingPitches));
    result.takes.push_back(std::move(take.value()));
  }
  result.mean = meanOf(result.evaluations);
  std::vector<MusicMetrics> measured;
  for (const TakeEvaluation& e : result.evaluations)
    measured.push_back(e.metrics);
  result.set = setDistances(measured, music.heldOutOpenings);
  std::vector<ProtocolFeatures> features;
  for (const midi::Score& take : result.takes)
    features.push_back(protocolFeatures(take));
  result.protocol = compareSets(features, music.heldOutFeatures);
  return result;
}

std::optional<TakeComparison> compareTakes(const std::vector<LabelledTake>& takes, const corpus::Corpus& corpus,
                                           double validFraction, std::uint64_t seed, std::stop_token stop) {
  TakeComparison result;
  // Held-out openings as long as the takes are on average.
  double seconds = 0.0;
  for (const LabelledTake& take : takes)
    seconds += measure(*take.score).seconds / static_cast<double>(takes.size());
  result.music = heldOutMusic(corpus, validFraction, seed, std::max(1.0, seconds));
  const HeldOutMusic& music = result.music;
  if (music.reference.pieces == 0) return result;
  std::map<std::pair<std::string, double>, std::vector<MusicMetrics>> sets;
  std::map<std::pair<std::string, double>, std::vector<ProtocolFeatures>> features;
  for (const LabelledTake& take : takes) {
    if (stop.stop_requested()) return std::nullopt;
    result.evaluations.push_back(evaluateTake(*take.score, music.reference, music.trainingPitches));
    sets[{take.model, take.temperature}].push_back(result.evaluations.back().metrics);
    features[{take.model, take.temperature}].push_back(protocolFeatures(*take.score));
  }
  std::size_t largest = 0;
  for (const auto& [key, pieces] : sets) {
    result.groups.push_back({key.first, key.second, static_cast<int>(pieces.size()),
                             setDistances(pieces, music.heldOutOpenings),
                             compareSets(features[key], music.heldOutFeatures).meanOverlap()});
    largest = std::max(largest, pieces.size());
  }
  result.realPieces = static_cast<int>(std::min(largest, music.trainingOpenings.size()));
  result.real = trainingMusicSetDistances(music, largest);
  result.realOverlap = trainingMusicProtocol(music, largest).meanOverlap();
  return result;
}

} // namespace lyrebird::evaluate
