#include "generate/infill.h"

#include "generate/take.h"
#include "tokenize/gridtokenizer.h"
#include "tokenize/key.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace lyrebird::generate {

namespace {

constexpr int kMaxCandidates = 64;
constexpr std::size_t kMaxRegionTokens = 50000; // a guard, far beyond any region

std::size_t nonDrumNotes(const midi::Score& piece) {
  std::size_t n = 0;
  for (const midi::Track& track : piece.tracks) {
    if (!track.isDrum) n += track.notes.size();
  }
  return n;
}

/// The piece's non-drum track with the most notes starting in [from, to); the first non-drum
/// track when none starts there.
std::size_t regionTrack(const midi::Score& piece, std::int64_t from, std::int64_t to) {
  std::size_t best = piece.tracks.size();
  std::size_t bestCount = 0;
  for (std::size_t t = 0; t < piece.tracks.size(); ++t) {
    const midi::Track& track = piece.tracks[t];
    if (track.isDrum) continue;
    const auto count =
        static_cast<std::size_t>(std::count_if(track.notes.begin(), track.notes.end(), [&](const midi::Note& n) {
          return n.startTicks >= from && n.startTicks < to;
        }));
    if (best == piece.tracks.size() || count > bestCount) {
      best = t;
      bestCount = count;
    }
  }
  return best == piece.tracks.size() ? 0 : best;
}

} // namespace

std::vector<std::int64_t> barStarts(const midi::Score& piece, int gridResolution) {
  tokenize::TokenizerConfig config;
  config.kind = tokenize::TokenizerConfig::Kind::Grid;
  config.gridResolution = gridResolution;
  return tokenize::GridTokenizer(config).barStartTicks(piece);
}

Result<InfillResult> Generator::infill(const midi::Score& piece, const InfillOptions& options,
                                       const std::function<void(const InfillCandidate&)>& onCandidate,
                                       std::stop_token stop) {
  Impl& d = *m_impl;
  const auto* grid = dynamic_cast<const tokenize::GridTokenizer*>(d.tokenizer.get());
  if (!grid) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "Regenerating a region needs a model whose tokens know bars (grid tokens); this model has " +
                     d.tokenizer->name() + " tokens."};
  }
  if (nonDrumNotes(piece) == 0) {
    return Error{ErrorKind::NoMusic, {}, -1, "The piece has no notes, so there is no music to write a region into."};
  }
  if (options.candidates < 1 || options.candidates > kMaxCandidates) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "The number of candidates must be between 1 and " + std::to_string(kMaxCandidates) + "."};
  }
  std::vector<std::int64_t> starts = grid->barStartTicks(piece);
  const int bars = static_cast<int>(starts.size()) - 1;
  const int lastAllowed = bars + (options.allowExtension ? InfillOptions::kMaxExtensionBars : 0);
  if (options.firstBar < 1 || options.lastBar < options.firstBar || options.lastBar > lastAllowed) {
    return Error{ErrorKind::InvalidArgument,
                 {},
                 -1,
                 "Bars " + std::to_string(options.firstBar) + "-" + std::to_string(options.lastBar) +
                     " are not a range of this piece, which has " + std::to_string(bars) +
                     " bars: give the first bar, then the last, from 1 to " + std::to_string(bars) + "."};
  }
  // Bars after the end (an extension) are as long as the piece's last bar.
  const std::int64_t lastLength = starts[starts.size() - 1] - starts[starts.size() - 2];
  while (static_cast<int>(starts.size()) - 1 < options.lastBar)
    starts.push_back(starts.back() + lastLength);
  InfillResult result;
  result.startTicks = starts[static_cast<std::size_t>(options.firstBar - 1)];
  result.endTicks = starts[static_cast<std::size_t>(options.lastBar)];
  result.track = regionTrack(piece, result.startTicks, result.endTicks);
  const std::int64_t tpq = piece.ticksPerQuarter > 0 ? piece.ticksPerQuarter : 480;

  // The piece's own key, as a prime's: the music is read in the learned key and written back.
  GenerateOptions generate = options.generate;
  generate.prime.reset();
  const int shift = key(generate) ? -tokenize::estimateKey(piece).normalizingShift() : 0;
  Result<std::vector<std::uint8_t>> allowed = onsetMask(generate, shift);
  if (!allowed) return allowed.error();

  // The piece's tokens, cut at the region's bar tokens: before it (the bar token that starts it
  // included, so the region begins on its bar line), and the judged bars after it.
  const tokenize::Vocabulary& vocabulary = d.checkpoint.vocabulary;
  std::vector<tokenize::TokenId> ids = d.tokenizer->encode(piece, vocabulary);
  if (shift != 0 && !d.tokenizer->transpose(ids, -shift, vocabulary)) {
    d.tokenizer->transpose(ids, shift > 0 ? 12 - shift : -12 - shift, vocabulary);
  }
  std::vector<std::size_t> barAt; // index of bar k's token (k from 1) at barAt[k - 1]
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (d.tokenizer->barMeter(ids[i]) >= 0) barAt.push_back(i);
  }
  const auto first = static_cast<std::size_t>(options.firstBar);
  const auto last = static_cast<std::size_t>(options.lastBar);
  std::vector<tokenize::TokenId> before;
  if (first <= barAt.size()) {
    before.assign(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(barAt[first - 1]) + 1);
  } else { // a region after the last onset: the empty bars up to it, in the last bar's meter
    before = ids;
    const tokenize::TokenId bar = ids[barAt.back()];
    before.insert(before.end(), first - barAt.size(), bar);
  }
  std::vector<tokenize::TokenId> after;
  if (last < barAt.size() && options.judgedBars > 0) {
    const std::size_t end = last + static_cast<std::size_t>(options.judgedBars) < barAt.size()
                                ? barAt[last + static_cast<std::size_t>(options.judgedBars)]
                                : ids.size();
    after.assign(ids.begin() + static_cast<std::ptrdiff_t>(barAt[last]),
                 ids.begin() + static_cast<std::ptrdiff_t>(end));
  }
  std::vector<tokenize::TokenId> window = before;
  const auto length = static_cast<std::size_t>(std::max(1, d.checkpoint.config.sequenceLength));
  if (window.size() > length) window.erase(window.begin(), window.end() - static_cast<std::ptrdiff_t>(length));

  const double tempo = tempoBpm(generate);
  const auto maxNoteTicks = static_cast<std::int64_t>(
      std::llround(generate.maxNoteSeconds * tempo / 60.0 * tokenize::kDecodedTicksPerQuarter));
  const int regionBars = options.lastBar - options.firstBar + 1;
  const GenerateListener quiet;
  // How well the music after the region follows a filling: its tokens' mean log-likelihood.
  auto judge = [&after](Take& take, InfillCandidate& candidate) {
    candidate.score = std::numeric_limits<double>::quiet_NaN();
    if (after.empty()) return;
    double sum = 0.0;
    for (tokenize::TokenId token : after) {
      sum += take.logProbability(token);
      take.force(token);
    }
    candidate.judgedTokens = after.size();
    candidate.score = sum / static_cast<double>(after.size());
  };
  // Whether an empty candidate is drawn again: where the piece has notes in the region, or after its end.
  bool regionHasNotes = first > barAt.size();
  for (const midi::Track& track : piece.tracks) {
    for (const midi::Note& n : track.notes) {
      regionHasNotes =
          regionHasNotes || (!track.isDrum && n.startTicks >= result.startTicks && n.startTicks < result.endTicks);
    }
  }
  const int redraws = regionHasNotes ? std::max(0, options.emptyRedraws) : 0;
  for (int c = 0; c < options.candidates && !stop.stop_requested(); ++c) {
    InfillCandidate candidate;
    std::optional<Take> take;
    for (int attempt = 0; attempt <= redraws && !stop.stop_requested(); ++attempt) {
      GenerateOptions candidateOptions = generate;
      candidateOptions.seed = generate.seed + static_cast<std::uint64_t>(c) +
                              static_cast<std::uint64_t>(attempt) * static_cast<std::uint64_t>(options.candidates);
      take.emplace(d, candidateOptions, quiet, shift, maxNoteTicks, *allowed);
      take->prime(window, before);
      // Draw until the bar line after the region: that bar is the piece's own again.
      int barLines = 0;
      for (std::size_t drawn = 0; drawn < kMaxRegionTokens && !stop.stop_requested();) {
        const std::int64_t now = take->nowTicks();
        take->releaseCapped(now);
        const tokenize::TokenId next = take->draw(now);
        if (d.tokenizer->barMeter(next) >= 0 && ++barLines >= regionBars) break;
        take->accept(next, ++drawn, now);
      }
      candidate = InfillCandidate{};
      candidate.seed = candidateOptions.seed;
      const midi::Score written = take->notesSoFar();
      if (!written.tracks.empty()) {
        for (const midi::Note& n : written.tracks.front().notes) {
          midi::Note note = n;
          note.startTicks = result.startTicks + n.startTicks * tpq / tokenize::kDecodedTicksPerQuarter;
          note.durationTicks = std::max<std::int64_t>(1, n.durationTicks * tpq / tokenize::kDecodedTicksPerQuarter);
          if (note.startTicks < result.endTicks) candidate.notes.push_back(note);
        }
      }
      if (!candidate.notes.empty()) break;
    }
    if (!take) break;
    judge(*take, candidate);
    if (onCandidate) onCandidate(candidate);
    result.candidates.push_back(std::move(candidate));
  }
  if (options.includeOriginal && !stop.stop_requested()) {
    // The region as the piece has it, read (not drawn) and judged the same way.
    Take take(d, generate, quiet, shift, maxNoteTicks, *allowed);
    take.prime(window, before);
    if (first <= barAt.size()) {
      const std::size_t end = last < barAt.size() ? barAt[last] : ids.size();
      for (std::size_t i = barAt[first - 1] + 1; i < end; ++i)
        take.force(ids[i]);
    }
    InfillCandidate original;
    original.seed = generate.seed;
    original.original = true;
    for (const midi::Track& track : piece.tracks) {
      if (track.isDrum) continue;
      for (const midi::Note& n : track.notes) {
        if (n.startTicks >= result.startTicks && n.startTicks < result.endTicks) original.notes.push_back(n);
      }
    }
    std::stable_sort(original.notes.begin(), original.notes.end(),
                     [](const midi::Note& a, const midi::Note& b) { return a.startTicks < b.startTicks; });
    judge(take, original);
    if (onCandidate) onCandidate(original);
    result.candidates.push_back(std::move(original));
  }
  if (!after.empty()) {
    std::stable_sort(result.candidates.begin(), result.candidates.end(),
                     [](const InfillCandidate& a, const InfillCandidate& b) { return a.score > b.score; });
  }
  return result;
}

midi::Score withCandidate(const midi::Score& piece, const InfillResult& result, std::size_t index) {
  midi::Score out = piece;
  for (midi::Track& track : out.tracks) {
    if (track.isDrum) continue;
    std::erase_if(track.notes, [&](const midi::Note& n) {
      return n.startTicks >= result.startTicks && n.startTicks < result.endTicks;
    });
  }
  if (index < result.candidates.size() && result.candidates[index].original) return piece; // as it was
  if (index >= result.candidates.size()) return out;
  if (out.tracks.empty()) out.tracks.emplace_back();
  midi::Track& target = out.tracks[std::min(result.track, out.tracks.size() - 1)];
  const std::vector<midi::Note>& notes = result.candidates[index].notes;
  target.notes.insert(target.notes.end(), notes.begin(), notes.end());
  std::stable_sort(target.notes.begin(), target.notes.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.startTicks != b.startTicks ? a.startTicks < b.startTicks : a.pitch < b.pitch;
  });
  return out;
}

} // namespace lyrebird::generate
