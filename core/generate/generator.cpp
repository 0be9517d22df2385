#include "generate/generator.h"

#include "generate/take.h"

#include "base/random.h"
#include "model/lstmnetwork.h"
#include "model/lstmstepper.h"
#include "tokenize/tokenizer.h"
#include "train/checkpoint.h"
#include "train/torchstate.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lyrebird::generate {

namespace {

std::string repeatText(double repeat) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", repeat);
  return text;
}

} // namespace

Result<Length> Length::parse(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c)))
      s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  char* end = nullptr;
  const double amount = std::strtod(s.c_str(), &end);
  const std::string unit(end ? end : "");
  Length length;
  length.amount = amount;
  if (unit == "s" || unit == "sec" || unit == "seconds" || unit == "second") {
    length.unit = Unit::Seconds;
  } else if (unit == "bars" || unit == "bar") {
    length.unit = Unit::Bars;
  } else if (unit == "tokens" || unit == "token") {
    length.unit = Unit::Tokens;
  } else {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "\"" + std::string(text) + "\" is not a length; write it like 30s, 16bars or 500tokens."};
  }
  if (end == s.c_str() || !(amount > 0.0) || amount > 1e6) {
    return Error{
        ErrorKind::InvalidArgument, {}, -1, "The length must be a positive number, like 30s, 16bars or 500tokens."};
  }
  return length;
}

Generator::Generator(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Generator::~Generator() = default;

const tokenize::Vocabulary& Generator::vocabulary() const {
  return m_impl->checkpoint.vocabulary;
}
int Generator::windowTokens() const {
  return m_impl->checkpoint.config.sequenceLength;
}
const train::TrainingConfig& Generator::trainingConfig() const {
  return m_impl->checkpoint.config;
}
const std::vector<train::MetricsRecord>& Generator::history() const {
  return m_impl->checkpoint.history;
}

std::string Generator::describe() const {
  const train::Checkpoint& c = m_impl->checkpoint;
  return c.config.preset + " model: " + m_impl->tokenizer->name() + " tokens (" + std::to_string(c.vocabulary.size()) +
         "), " + std::string(model::archName(c.config.model.arch)) + " LSTM " + std::to_string(c.config.model.layers) +
         "x" + std::to_string(c.config.model.hidden) + ", trained " + std::to_string(c.progress.step) + " steps" +
         (c.config.baseModel.empty() ? std::string()
                                     : " from " + c.config.baseModel + " (" + c.config.baseFingerprint + ")") +
         (c.sampling ? ", repeat " + repeatText(c.sampling->repeat) + " measured on its music" : std::string());
}

double Generator::defaultRepeat() const {
  return m_impl->defaultRepeat;
}

bool Generator::steersRepeats() const {
  return m_impl->stepper->hasLookback() && m_impl->tokenizer->lookbackTracker() != nullptr;
}

double Generator::tempoBpm(const GenerateOptions& options) const {
  if (options.tempoBpm > 0.0) return options.tempoBpm;
  const std::vector<double>& tempos = m_impl->checkpoint.config.corpusTemposBpm;
  if (!hasCorpusTempo() || tempos.empty()) return typicalTempoBpm();
  // Its own stream, as the key's: one of the corpus's tempo quantiles, so takes are as fast or
  // slow as its pieces are (measured on piano-midi-de, 49 to 172 BPM: docs/measurements.md).
  SplitMix64 random(options.seed ^ 0x74656D706F5F6472ull);
  return tempos[static_cast<std::size_t>(random.below(tempos.size()))];
}

bool Generator::hasCorpusTempo() const {
  const train::TrainingConfig& c = m_impl->checkpoint.config;
  return c.tokenizer.kind == tokenize::TokenizerConfig::Kind::Grid && c.corpusTempoBpm > 0.0;
}

double Generator::typicalTempoBpm() const {
  if (hasCorpusTempo()) return m_impl->checkpoint.config.corpusTempoBpm;
  return 60'000'000.0 / tokenize::kDecodedMicrosecondsPerQuarter;
}

std::optional<tokenize::Key> Generator::key(const GenerateOptions& options) const {
  const train::TrainingConfig& c = m_impl->checkpoint.config;
  if (!c.normalizeKeys) return std::nullopt;
  if (options.key) return options.key;
  std::uint64_t total = 0;
  for (std::uint32_t n : c.corpusKeys)
    total += n;
  if (total == 0) return tokenize::Key{};
  // Its own stream, so the key drawn never changes the notes' draws.
  SplitMix64 random(options.seed ^ 0x6B65795F64726177ull);
  std::uint64_t pick = random.below(total);
  for (std::size_t i = 0; i < c.corpusKeys.size(); ++i) {
    if (pick < c.corpusKeys[i]) return tokenize::Key::fromIndex(static_cast<int>(i));
    pick -= c.corpusKeys[i];
  }
  return tokenize::Key{};
}

midi::Score Generator::header(const GenerateOptions& options) const {
  midi::Score score;
  score.ticksPerQuarter = tokenize::kDecodedTicksPerQuarter;
  score.title = "Lyrebird";
  score.tempos = {{0, static_cast<std::uint32_t>(std::llround(60'000'000.0 / tempoBpm(options)))}};
  score.timeSignatures = {{0, 4, 4}};
  if (const std::optional<tokenize::Key> k = key(options); k && !options.prime) {
    score.keySignatures = {{0, static_cast<std::int8_t>(tokenize::keySignatureSharps(*k)), k->minor}};
  }
  midi::Track track;
  track.name = "Lyrebird";
  track.program = static_cast<std::uint8_t>(std::clamp(options.program, 0, 127));
  score.tracks.push_back(std::move(track));
  return score;
}

Result<std::unique_ptr<Generator>> Generator::load(const std::filesystem::path& path) {
  Result<train::Checkpoint> checkpoint = train::readCheckpoint(path);
  if (!checkpoint) return checkpoint.error();
  Result<std::unique_ptr<Generator>> generator = fromCheckpoint(std::move(checkpoint.value()));
  if (!generator) {
    Error e = generator.error();
    e.path = path.string();
    return e;
  }
  return generator;
}

Result<std::unique_ptr<Generator>> Generator::fromCheckpoint(train::Checkpoint checkpoint,
                                                             model::LstmStepper::Precision precision) {
  auto impl = std::make_unique<Impl>();
  impl->checkpoint = std::move(checkpoint);
  {
    Result<model::LstmNetwork> network = train::networkFromCheckpoint(impl->checkpoint);
    if (!network) return network.error();
    impl->stepper = std::make_unique<model::LstmStepper>(network.value()->stepperWeights(), precision);
  } // the torch network is not needed once its weights are copied
  impl->tokenizer = tokenize::Tokenizer::create(impl->checkpoint.config.tokenizer);
  const model::ModelConfig& network = impl->checkpoint.config.model;
  const bool learnedMuch = impl->checkpoint.progress.step >= GenerateOptions::kWellTrainedSteps ||
                           !impl->checkpoint.config.baseModel.empty();
  impl->defaultRepeat = impl->checkpoint.sampling ? impl->checkpoint.sampling->repeat
                        : network.hidden >= 256 && network.layers >= 3 && learnedMuch
                            ? GenerateOptions::kRepeatLargeNetwork
                            : GenerateOptions::kRepeatSmallNetwork;
  const tokenize::Vocabulary& vocabulary = impl->checkpoint.vocabulary;
  if (static_cast<int>(vocabulary.size()) != impl->stepper->vocabularySize()) {
    return Error{ErrorKind::Corrupt, {}, -1, "The model's vocabulary does not match its network."};
  }
  std::uint64_t bestCount = 0;
  for (std::size_t id = 0; id < vocabulary.size(); ++id) {
    const auto token = static_cast<tokenize::TokenId>(id);
    impl->onsetPitches.push_back(impl->tokenizer->onsetPitches(token, vocabulary));
    impl->onsetCount.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(impl->onsetPitches.back().size(), 255)));
    impl->releasedPitch.push_back(static_cast<std::int16_t>(impl->tokenizer->releasedPitch(token, vocabulary)));
    impl->hasReleaseTokens = impl->hasReleaseTokens || impl->releasedPitch.back() >= 0;
    // Without a prime, the first input is the corpus's most frequent token (unless the tokenizer
    // names its own start).
    if (id > 0 && vocabulary.count(token) > bestCount) {
      bestCount = vocabulary.count(token);
      impl->startToken = token;
    }
  }

  return std::unique_ptr<Generator>(new Generator(std::move(impl)));
}

Result<std::vector<std::uint8_t>> Generator::onsetMask(const GenerateOptions& options, int shift) const {
  const Impl& d = *m_impl;
  if (options.minPitch > options.maxPitch) {
    return Error{ErrorKind::InvalidArgument, {}, -1, "The lowest pitch is above the highest one."};
  }
  if (options.maxPolyphony < 0)
    return Error{ErrorKind::InvalidArgument, {}, -1, "The polyphony limit cannot be negative."};
  if (options.minVelocity < 1 || options.maxVelocity > 127 || options.minVelocity > options.maxVelocity) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "The velocity range must lie within 1 to 127, its softest first (e.g. 40-90)."};
  }
  if (!(std::abs(options.density) <= 20.0))
    return Error{ErrorKind::InvalidArgument, {}, -1, "The density must be between -20 and 20."};
  // Onsets outside the pitch range or the key, or larger chords than the polyphony limit,
  // are never drawn; "<unk>" never is.
  const std::size_t v = d.checkpoint.vocabulary.size();
  std::vector<std::uint8_t> allowed(v, 1);
  allowed[tokenize::Vocabulary::kUnknown] = 0;
  bool anyOnsetAllowed = false;
  for (std::size_t id = 1; id < v; ++id) {
    for (std::uint8_t learned : d.onsetPitches[id]) {
      const int p = std::clamp(learned + shift, 0, 127); // as written
      if (p < options.minPitch || p > options.maxPitch || (options.scale && !options.scale->contains(p))) {
        allowed[id] = 0;
      }
    }
    if (options.maxPolyphony > 0 && d.onsetCount[id] > options.maxPolyphony) allowed[id] = 0;
    anyOnsetAllowed = anyOnsetAllowed || (allowed[id] && d.onsetCount[id] > 0);
  }
  if (!anyOnsetAllowed) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "No note this model knows fits the chosen key, pitch range and polyphony; widen them."};
  }
  return allowed;
}

std::pair<std::vector<tokenize::TokenId>, std::vector<tokenize::TokenId>>
Generator::primeTokens(const std::optional<midi::Score>& prime, int shift, std::uint64_t seed) const {
  const Impl& d = *m_impl;
  const tokenize::Vocabulary& vocabulary = d.checkpoint.vocabulary;
  std::vector<tokenize::TokenId> window;
  std::vector<tokenize::TokenId> full;
  if (prime) {
    full = d.tokenizer->encode(*prime, vocabulary);
    if (shift != 0 && !d.tokenizer->transpose(full, -shift, vocabulary)) {
      d.tokenizer->transpose(full, shift > 0 ? 12 - shift : -12 - shift, vocabulary);
    }
    window = full;
    const auto length = static_cast<std::size_t>(std::max(1, d.checkpoint.config.sequenceLength));
    if (window.size() > length) window.erase(window.begin(), window.end() - static_cast<std::ptrdiff_t>(length));
  }
  if (window.empty()) {
    const tokenize::TokenId start = d.tokenizer->startToken(vocabulary, seed);
    window.push_back(start != tokenize::Vocabulary::kUnknown ? start : d.startToken);
  }
  return {std::move(window), std::move(full)};
}

Result<midi::Score> Generator::generate(const GenerateOptions& options, const GenerateListener& listener,
                                        std::stop_token stop) {
  if (!(options.tempoBpm >= 0.0)) return Error{ErrorKind::InvalidArgument, {}, -1, "The tempo must be above 0 BPM."};
  const double tempo = tempoBpm(options);

  // A model that learned in C major / A minor writes in the key asked for (or drawn), and
  // continues a prime in the prime's key: the prime is moved to the learned key and the
  // music moved back by `shift` semitones as it is written.
  std::optional<midi::Score> prime;
  if (options.prime) prime = *options.prime;
  int shift = 0;
  std::optional<tokenize::Key> key = this->key(options);
  if (key && prime && prime->noteCount() > 0) key = tokenize::estimateKey(*prime);
  if (key) shift = -key->normalizingShift();
  Result<std::vector<std::uint8_t>> allowed = onsetMask(options, shift);
  if (!allowed) return allowed.error();
  const auto [window, fullPrime] = primeTokens(prime, shift, options.seed);

  // Stop when the piece is long enough, measured at the tempo it will be written at.
  const double quartersPerSecond = tempo / 60.0;
  const double targetQuarters = options.length.unit == Length::Unit::Seconds ? options.length.amount * quartersPerSecond
                                : options.length.unit == Length::Unit::Bars  ? options.length.amount * 4.0
                                                                             : 0.0;
  const auto targetTicks = static_cast<std::int64_t>(std::ceil(targetQuarters * tokenize::kDecodedTicksPerQuarter));
  const std::size_t maxTokens = options.length.unit == Length::Unit::Tokens
                                    ? static_cast<std::size_t>(options.length.amount)
                                    : std::size_t{200000}; // a guard, far beyond any real piece
  // Note lengths are measured in the result's ticks, i.e. at the written tempo.
  const auto maxNoteTicks = static_cast<std::int64_t>(
      std::llround(options.maxNoteSeconds * quartersPerSecond * tokenize::kDecodedTicksPerQuarter));

  Take take(*m_impl, options, listener, shift, maxNoteTicks, std::move(*allowed));
  take.prime(window, fullPrime);
  std::size_t drawn = 0;
  while (drawn < maxTokens && !stop.stop_requested()) {
    const std::int64_t now = take.nowTicks();
    if (options.length.unit != Length::Unit::Tokens && now >= targetTicks) break;
    take.releaseCapped(now);
    const tokenize::TokenId next = take.draw(now);
    take.accept(next, ++drawn, now);
  }
  auto [decoded, meters] = take.finish();

  midi::Score score = header(options);
  if (!decoded.tracks.empty())
    score.tracks.front().notes = decoded.tracks.front().notes;
  else
    score.tracks.clear();
  if (!meters.empty()) score.timeSignatures = std::move(meters);
  if (key) score.keySignatures = {{0, static_cast<std::int8_t>(tokenize::keySignatureSharps(*key)), key->minor}};
  return score;
}

} // namespace lyrebird::generate
