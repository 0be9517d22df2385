#include "generate/generator.h"

#include "model/lstmnetwork.h"
#include "tokenize/tokenizer.h"
#include "train/checkpoint.h"
#include "train/torchstate.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace lyrebird::generate {

Result<Length> Length::parse(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
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
    return Error{ErrorKind::NotFound, {}, -1,
                 "\"" + std::string(text) + "\" is not a length; write it like 30s, 16bars or 500tokens."};
  }
  if (end == s.c_str() || !(amount > 0.0) || amount > 1e6) {
    return Error{ErrorKind::NotFound, {}, -1, "The length must be a positive number, like 30s, 16bars or 500tokens."};
  }
  return length;
}

struct Generator::Impl {
  train::Checkpoint checkpoint;
  std::unique_ptr<tokenize::Tokenizer> tokenizer;
  model::LstmNetwork network{nullptr};
  std::vector<std::vector<std::uint8_t>> onsetPitches; // per token id
  std::vector<double> quarters;                         // per token id
  tokenize::TokenId startToken = 1;
};

Generator::Generator(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Generator::~Generator() = default;

const tokenize::Vocabulary& Generator::vocabulary() const { return m_impl->checkpoint.vocabulary; }

std::string Generator::describe() const {
  const train::Checkpoint& c = m_impl->checkpoint;
  return c.config.preset + " model: " + m_impl->tokenizer->name() + " tokens (" + std::to_string(c.vocabulary.size()) +
         "), " + std::string(model::archName(c.config.model.arch)) + " LSTM " + std::to_string(c.config.model.layers) +
         "x" + std::to_string(c.config.model.hidden) + ", trained " + std::to_string(c.progress.step) + " steps";
}

Result<std::unique_ptr<Generator>> Generator::load(const std::filesystem::path& path) {
  Result<train::Checkpoint> checkpoint = train::readCheckpoint(path);
  if (!checkpoint) return checkpoint.error();
  auto impl = std::make_unique<Impl>();
  impl->checkpoint = std::move(checkpoint.value());
  Result<model::LstmNetwork> network = train::networkFromCheckpoint(impl->checkpoint);
  if (!network) {
    Error e = network.error();
    e.path = path.string();
    return e;
  }
  impl->network = network.value();
  impl->tokenizer = tokenize::Tokenizer::create(impl->checkpoint.config.tokenizer);
  const tokenize::Vocabulary& vocabulary = impl->checkpoint.vocabulary;
  std::uint64_t bestCount = 0;
  for (std::size_t id = 0; id < vocabulary.size(); ++id) {
    const auto token = static_cast<tokenize::TokenId>(id);
    impl->onsetPitches.push_back(impl->tokenizer->onsetPitches(token, vocabulary));
    impl->quarters.push_back(impl->tokenizer->quartersAdvanced(token, vocabulary));
    // Without a prime, the first input is the corpus's most frequent token.
    if (id > 0 && vocabulary.count(token) > bestCount) {
      bestCount = vocabulary.count(token);
      impl->startToken = token;
    }
  }
  return std::unique_ptr<Generator>(new Generator(std::move(impl)));
}

Result<midi::Score> Generator::generate(const GenerateOptions& options,
                                        const std::function<void(tokenize::TokenId, std::size_t)>& onToken,
                                        std::stop_token stop) {
  Impl& d = *m_impl;
  const tokenize::Vocabulary& vocabulary = d.checkpoint.vocabulary;
  const std::size_t v = vocabulary.size();
  if (!(options.tempoBpm > 0.0)) return Error{ErrorKind::NotFound, {}, -1, "The tempo must be above 0 BPM."};
  if (options.minPitch > options.maxPitch) {
    return Error{ErrorKind::NotFound, {}, -1, "The lowest pitch is above the highest one."};
  }

  // Onsets outside the pitch range or the key are never drawn; "<unk>" never is.
  std::vector<std::uint8_t> allowed(v, 1);
  allowed[tokenize::Vocabulary::kUnknown] = 0;
  bool anyOnsetAllowed = false;
  for (std::size_t id = 1; id < v; ++id) {
    for (std::uint8_t p : d.onsetPitches[id]) {
      if (p < options.minPitch || p > options.maxPitch || (options.scale && !options.scale->contains(p))) {
        allowed[id] = 0;
      }
    }
    anyOnsetAllowed = anyOnsetAllowed || (allowed[id] && !d.onsetPitches[id].empty());
  }
  if (!anyOnsetAllowed) {
    return Error{ErrorKind::NotFound, {}, -1,
                 "No note this model knows fits the chosen key and pitch range; widen them."};
  }

  std::vector<tokenize::TokenId> prime;
  if (options.prime) {
    prime = d.tokenizer->encode(*options.prime, vocabulary);
    const auto window = static_cast<std::size_t>(d.checkpoint.config.sequenceLength);
    if (prime.size() > window) prime.erase(prime.begin(), prime.end() - static_cast<std::ptrdiff_t>(window));
  }
  if (prime.empty()) prime.push_back(d.startToken);

  // Stop when the piece is long enough, measured at the tempo it will be written at.
  const double targetQuarters = [&] {
    switch (options.length.unit) {
    case Length::Unit::Seconds: return options.length.amount / (60.0 / options.tempoBpm);
    case Length::Unit::Bars: return options.length.amount * 4.0;
    case Length::Unit::Tokens: break;
    }
    return 0.0;
  }();
  const std::size_t maxTokens = options.length.unit == Length::Unit::Tokens
                                    ? static_cast<std::size_t>(options.length.amount)
                                    : std::size_t{200000}; // a guard, far beyond any real piece

  at::set_num_threads(1);
  torch::NoGradGuard noGrad;
  d.network->eval();
  std::vector<std::int64_t> primeIds(prime.begin(), prime.end());
  const torch::Tensor primeTensor =
      torch::from_blob(primeIds.data(), {1, static_cast<std::int64_t>(primeIds.size())}, torch::kLong).clone();
  auto [primeLogits, primeState] = d.network->forwardWithState(primeTensor, std::nullopt);
  torch::Tensor logits = primeLogits.select(1, -1).squeeze(0).contiguous();
  model::LstmState state = primeState;

  Sampler sampler(options.seed);
  std::vector<tokenize::TokenId> generated;
  std::vector<tokenize::TokenId> recent(prime.begin(), prime.end());
  double quarters = 0.0;
  torch::Tensor input = torch::empty({1, 1}, torch::kLong);
  while (generated.size() < maxTokens && !stop.stop_requested()) {
    if (options.length.unit != Length::Unit::Tokens && quarters >= targetQuarters) break;
    const std::span<const float> scores(logits.data_ptr<float>(), v);
    const std::size_t window = std::min<std::size_t>(recent.size(), static_cast<std::size_t>(options.repetitionWindow));
    const tokenize::TokenId next =
        sampler.sample(scores, options.sampling, allowed, std::span(recent).subspan(recent.size() - window));
    generated.push_back(next);
    recent.push_back(next);
    quarters += d.quarters[next];
    if (onToken) onToken(next, generated.size());
    input.fill_(static_cast<std::int64_t>(next));
    auto [stepLogits, stepState] = d.network->forwardWithState(input, state);
    logits = stepLogits.select(1, -1).squeeze(0).contiguous();
    state = stepState;
  }

  midi::Score score = d.tokenizer->decode(generated, vocabulary);
  if (options.maxNoteSeconds > 0) {
    // Decoded scores run at 120 BPM: a second is two quarters.
    const auto maxTicks = static_cast<std::int64_t>(options.maxNoteSeconds * 2.0 * score.ticksPerQuarter);
    for (midi::Track& track : score.tracks) {
      for (midi::Note& note : track.notes) note.durationTicks = std::min(note.durationTicks, maxTicks);
    }
  }
  score.tempos = {{0, static_cast<std::uint32_t>(std::llround(60'000'000.0 / options.tempoBpm))}};
  score.timeSignatures = {{0, 4, 4}};
  for (midi::Track& track : score.tracks) track.program = static_cast<std::uint8_t>(std::clamp(options.program, 0, 127));
  score.title = "Lyrebird";
  return score;
}

} // namespace lyrebird::generate
