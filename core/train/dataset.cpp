#include "train/dataset.h"

#include "midi/tempomap.h"
#include "tokenize/gridtokenizer.h"
#include "tokenize/key.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lyrebird::train {

tokenize::TokenizerConfig::Kind chooseTokenizerKind(const corpus::Corpus& corpus, int gridResolution, double* share) {
  std::size_t onGrid = 0;
  std::size_t total = 0;
  for (const corpus::CorpusFile& f : corpus.files) {
    if (!f.loaded() || !f.score) continue;
    const tokenize::GridFit fit = tokenize::gridFit(*f.score, gridResolution);
    onGrid += fit.onGrid;
    total += fit.total;
  }
  const double measured = total ? static_cast<double>(onGrid) / static_cast<double>(total) : 0.0;
  if (share) *share = measured;
  return measured >= TrainingConfig::kMetricalShare ? tokenize::TokenizerConfig::Kind::Grid
                                                    : tokenize::TokenizerConfig::Kind::Event;
}

std::size_t TokenDataset::trainTokens() const {
  std::size_t n = 0;
  for (const auto& piece : m_train)
    n += piece.size();
  return n;
}

Result<TokenDataset> TokenDataset::build(const corpus::Corpus& corpus, const TrainingConfig& config,
                                         const tokenize::Vocabulary* vocabulary) {
  TokenDataset d;
  d.m_config = config;
  d.m_tokenizer = tokenize::Tokenizer::create(config.tokenizer);

  corpus::SplitOptions splitOptions;
  splitOptions.validFraction = config.validFraction;
  splitOptions.seed = config.seed;
  const corpus::FileSplit split = corpus::splitCorpus(corpus, splitOptions);
  if (split.empty()) {
    return Error{ErrorKind::NoMusic, corpus.root.string(), -1,
                 "The folder has no MIDI file that could be loaded, so there is nothing to learn from."};
  }

  if (vocabulary) {
    d.m_vocabulary = *vocabulary;
  } else {
    std::vector<const midi::Score*> trainScores;
    for (const corpus::CorpusFile* f : split.train)
      trainScores.push_back(&*f->score);
    d.m_vocabulary = d.m_tokenizer->buildVocabulary(trainScores, config.minTokenCount);
  }
  auto encode = [&](const midi::Score& score) {
    std::vector<tokenize::TokenId> ids = d.m_tokenizer->encode(score, d.m_vocabulary);
    if (config.normalizeKeys) {
      const int shift = tokenize::estimateKey(score).normalizingShift();
      if (shift != 0 && !d.m_tokenizer->transpose(ids, shift, d.m_vocabulary)) {
        d.m_tokenizer->transpose(ids, shift > 0 ? shift - 12 : shift + 12, d.m_vocabulary);
      }
    }
    return ids;
  };
  std::vector<double> tempos;
  std::vector<std::vector<int>> trainPitches;
  for (const corpus::CorpusFile* f : split.train) {
    const midi::Score& score = *f->score;
    d.m_train.push_back(encode(score));
    d.m_trainFiles.push_back(f->relativePath);
    trainPitches.push_back(corpus::pitchSequence(score));
    if (score.noteCount() == 0) continue;
    ++d.m_trainKeys[static_cast<std::size_t>(tokenize::estimateKey(score).index())];
    const std::int64_t end = score.endTicks();
    const double seconds = midi::TempoMap(score).seconds(end);
    if (seconds > 0.0 && score.ticksPerQuarter > 0) {
      tempos.push_back(60.0 * static_cast<double>(end) / score.ticksPerQuarter / seconds);
    }
  }
  d.m_copyIndex = corpus::CopyIndex::build(trainPitches);
  if (!tempos.empty()) {
    std::sort(tempos.begin(), tempos.end());
    const std::size_t n = tempos.size();
    d.m_trainTempoBpm = n % 2 ? tempos[n / 2] : (tempos[n / 2 - 1] + tempos[n / 2]) / 2.0;
    const std::size_t quantiles = std::min(n, kTempoQuantiles);
    for (std::size_t q = 0; q < quantiles; ++q) {
      // The midpoint of each of `quantiles` equal shares of the pieces, to 0.1 BPM.
      const double tempo = tempos[std::min(n - 1, (2 * q + 1) * n / (2 * quantiles))];
      d.m_trainTempos.push_back(std::round(tempo * 10.0) / 10.0);
    }
  }
  // Files held out as "test" by the corpus's own folders are not used for validation.
  for (const corpus::CorpusFile* f : split.valid) {
    d.m_valid.push_back(encode(*f->score));
    d.m_validFiles.push_back(f->relativePath);
  }

  if (config.model.lookback) {
    auto interleaved = [&](const std::vector<tokenize::TokenId>& ids) {
      const std::vector<tokenize::LookbackTracker::Lookback> back = d.m_tokenizer->lookback(ids);
      constexpr std::size_t channels = model::kLookbackChannels;
      std::vector<tokenize::TokenId> values(channels * ids.size());
      for (std::size_t i = 0; i < ids.size(); ++i) {
        values[channels * i] = back[i].oneBar;
        values[channels * i + 1] = back[i].twoBars;
        values[channels * i + 2] = static_cast<tokenize::TokenId>(back[i].repeating);
        values[channels * i + 3] = static_cast<tokenize::TokenId>(back[i].meter);
        values[channels * i + 4] = static_cast<tokenize::TokenId>(back[i].toBarLine);
      }
      return values;
    };
    for (const auto& piece : d.m_train)
      d.m_trainLookback.push_back(interleaved(piece));
    for (const auto& piece : d.m_valid)
      d.m_validLookback.push_back(interleaved(piece));
  }

  const std::size_t needed = static_cast<std::size_t>(config.sequenceLength) + 1;
  const bool anyWindow =
      std::any_of(d.m_train.begin(), d.m_train.end(), [&](const auto& piece) { return piece.size() >= needed; });
  if (!anyWindow) {
    return Error{ErrorKind::NoMusic, corpus.root.string(), -1,
                 "No training piece is long enough for one window of " + std::to_string(config.sequenceLength) +
                     " tokens plus its target; add music or choose a shorter window (--seq)."};
  }

  // FNV-1a over names, sizes and tokens.
  std::uint64_t h = 0xCBF29CE484222325ull;
  auto mix = [&](const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      h ^= p[i];
      h *= 0x100000001B3ull;
    }
  };
  for (int part = 0; part < 2; ++part) {
    const auto& files = part == 0 ? d.m_trainFiles : d.m_validFiles;
    const auto& pieces = part == 0 ? d.m_train : d.m_valid;
    for (std::size_t i = 0; i < files.size(); ++i) {
      mix(files[i].data(), files[i].size());
      const std::uint64_t n = pieces[i].size();
      mix(&n, sizeof n);
      mix(pieces[i].data(), pieces[i].size() * sizeof(tokenize::TokenId));
    }
  }
  char text[32];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  d.m_fingerprint =
      std::string(text) + " train=" + std::to_string(d.m_train.size()) + " valid=" + std::to_string(d.m_valid.size());
  return d;
}

std::vector<Window> TokenDataset::windows(const std::vector<std::vector<tokenize::TokenId>>& pieces,
                                          std::uint32_t offset) const {
  const auto length = static_cast<std::size_t>(m_config.sequenceLength);
  const bool last = m_config.model.objective == model::ModelConfig::Objective::Last;
  std::vector<Window> out;
  for (std::size_t p = 0; p < pieces.size(); ++p) {
    const std::size_t size = pieces[p].size();
    if (size < length + 1) continue;
    if (last) {
      for (std::size_t s = 0; s + length < size; ++s) {
        out.push_back({static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(s)});
      }
    } else {
      // Every piece's beginning is a window in every epoch: generation starts there, from a
      // cold state. The other windows follow from `offset`, each one's start moved back to the
      // bar it falls in where the tokens have bars (so the network never starts from a cold
      // state in mid-bar, and no token of the piece is left out of the epoch).
      const std::vector<tokenize::TokenId>& piece = pieces[p];
      const bool bars = m_tokenizer->barMeter(piece[0]) >= 0;
      out.push_back({static_cast<std::uint32_t>(p), 0});
      std::size_t previous = 0;
      for (std::size_t s = offset ? offset : length; s + length + 1 <= size; s += length) {
        std::size_t start = s;
        while (bars && start > previous + 1 && m_tokenizer->barMeter(piece[start]) < 0)
          --start;
        if (bars && m_tokenizer->barMeter(piece[start]) < 0) start = s; // a bar longer than a window
        out.push_back({static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(start)});
        previous = start;
      }
    }
  }
  return out;
}

std::vector<Window> TokenDataset::trainWindows(std::uint64_t seed, int epoch) const {
  SplitMix64 random(seed * 0x2545F4914F6CDD1Dull + static_cast<std::uint64_t>(epoch));
  const auto offset = static_cast<std::uint32_t>(random.below(static_cast<std::uint64_t>(m_config.sequenceLength)));
  std::vector<Window> out = windows(m_train, offset);
  for (std::size_t i = out.size(); i > 1; --i) { // Fisher-Yates with a portable generator
    std::swap(out[i - 1], out[random.below(i)]);
  }
  return out;
}

std::vector<Window> TokenDataset::validWindows() const {
  std::vector<Window> all = windows(m_valid, 0);
  const auto cap = static_cast<std::size_t>(m_config.maxValidWindows);
  if (all.size() <= cap) return all;
  std::vector<Window> spread;
  spread.reserve(cap);
  for (std::size_t i = 0; i < cap; ++i)
    spread.push_back(all[i * all.size() / cap]);
  return spread;
}

} // namespace lyrebird::train
