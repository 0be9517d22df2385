#include "appdata.h"
#include "audiooptions.h"
#include "commandline.h"
#include "commands.h"
#include "samplingoptions.h"

#include "generate/generator.h"
#include "generate/infill.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextStream>

#include <cmath>

namespace lyrebird::cli {

namespace {

/// "A-B" or "A" (bars from 1): the range, or nullopt for other text.
std::optional<std::pair<int, int>> parseBars(const QString& text) {
  const QRegularExpressionMatch m =
      QRegularExpression(QStringLiteral("^\\s*(\\d+)\\s*(?:-\\s*(\\d+))?\\s*$")).match(text);
  if (!m.hasMatch()) return std::nullopt;
  bool okA = false;
  bool okB = true;
  const int a = m.captured(1).toInt(&okA);
  const int b = m.captured(2).isEmpty() ? a : m.captured(2).toInt(&okB);
  if (!okA || !okB) return std::nullopt;
  return std::pair{a, b};
}

QJsonObject candidateJson(const generate::InfillCandidate& c, std::size_t rank) {
  QJsonObject o;
  o[QStringLiteral("rank")] = static_cast<int>(rank + 1);
  o[QStringLiteral("seed")] = QString::number(c.seed);
  o[QStringLiteral("notes")] = static_cast<int>(c.notes.size());
  o[QStringLiteral("score")] = std::isfinite(c.score) ? QJsonValue(c.score) : QJsonValue();
  o[QStringLiteral("judged_tokens")] = static_cast<int>(c.judgedTokens);
  return o;
}

} // namespace

int runInfill(const QStringList& arguments) {
  CommandLine cli(QStringLiteral("infill"),
                  QStringLiteral("lyrebird-cli infill: write bars A to B of a MIDI file again, between the music "
                                 "that stays.\nThe model reads the music before the region and writes N candidates "
                                 "for it; they are ranked by how well the music after the region follows each "
                                 "(the model's likelihood of the next bars), and the best is written. Notes "
                                 "outside the region never change."));
  QCommandLineParser& parser = cli.parser();
  auto option = [&](const char* name, const char* help, const char* valueName, const char* fallback = nullptr) {
    return addOption(parser, name, help, valueName, fallback);
  };
  const auto modelPath = option("model", "The trained model (default: the bundled model).", "MODEL");
  const auto in = option("in", "The MIDI file to rewrite part of.", "IN.mid");
  const auto barsOption =
      option("bars", "The bars to write again, A-B (from 1, inclusive, on the file's own time signatures).", "A-B");
  const auto out = option("out", "The MIDI file to write: IN with the best candidate in the region.", "OUT.mid");
  const auto candidates = option("candidates", "Candidates to write and rank (default 8).", "N", "8");
  const SamplingFlags sampling = addSamplingOptions(parser);
  const auto seed = option("seed", "Seed of the first candidate (the others: S+1, S+2, ...).", "S", "0");
  const auto json = option("json", "Print the candidates with their scores, best first, as JSON.", nullptr);
  const auto wav = option("wav", "Also render the result to audio (.wav, .flac or .ogg).", "OUT.wav");
  const AudioOptions audioOptions = addAudioOptions(parser);

  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (!parser.isSet(in) || !parser.isSet(barsOption) || !parser.isSet(out)) {
    cli.error() << "give --in IN.mid, --bars A-B and --out OUT.mid.\n";
    return kExitUsage;
  }
  const std::optional<std::pair<int, int>> bars = parseBars(parser.value(barsOption));
  if (!bars) {
    cli.error() << "--bars takes a range of bars like 5-8 (or one bar, like 5).\n";
    return kExitUsage;
  }
  generate::InfillOptions options;
  options.firstBar = bars->first;
  options.lastBar = bars->second;
  bool ok = readSamplingOptions(parser, sampling, options.generate, cli.prefix(), err);
  bool converted = false;
  options.candidates = parser.value(candidates).toInt(&converted);
  if (!converted || options.candidates < 1 || options.candidates > 64) {
    cli.error() << "--candidates takes a whole number from 1 to 64.\n";
    ok = false;
  }
  options.generate.seed = parser.value(seed).toULongLong(&converted);
  if (!converted) {
    cli.error() << "--seed takes a whole number.\n";
    ok = false;
  }
  if (!ok) return kExitUsage;
  std::optional<audio::RenderOptions> render;
  if (parser.isSet(wav)) {
    render = readAudioOptions(parser, audioOptions, cli.prefix(), err);
    if (!render) return kExitFailure;
  }

  const Result<midi::SmfFile> piece = midi::readSmfFile(parser.value(in).toStdString());
  if (!piece) {
    cli.error() << QString::fromStdString(piece.error().describe()) << "\n";
    return kExitFailure;
  }
  const QString model = parser.isSet(modelPath) ? parser.value(modelPath) : ui::bundledModelPath();
  if (model.isEmpty()) {
    cli.error() << "give --model MODEL.lyrebird: the bundled model is not installed.\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<generate::Generator>> generator = generate::Generator::load(model.toStdString());
  if (!generator) {
    cli.error() << QString::fromStdString(generator.error().describe()) << "\n";
    return kExitFailure;
  }
  if (!parser.isSet(json)) err << QString::fromStdString((*generator)->describe()) << "\n";

  const Result<generate::InfillResult> result = (*generator)->infill(piece->score, options);
  if (!result) {
    // The piece or the range cannot be rewritten: a usage error, nothing written.
    const bool usage = result.error().kind == ErrorKind::InvalidArgument || result.error().kind == ErrorKind::NoMusic;
    cli.error() << QString::fromStdString(result.error().message) << "\n";
    return usage ? kExitUsage : kExitFailure;
  }
  const midi::Score written = generate::withCandidate(piece->score, *result, 0);
  const std::filesystem::path outPath = parser.value(out).toStdString();
  if (const Status saved = midi::writeSmfFile(written, outPath); !saved) {
    cli.error() << QString::fromStdString(saved.error().describe()) << "\n";
    return kExitFailure;
  }
  if (render) {
    const Result<audio::RenderStats> rendered = audio::renderToFile(written, parser.value(wav).toStdString(), *render);
    if (!rendered) {
      cli.error() << QString::fromStdString(rendered.error().describe()) << "\n";
      return kExitFailure;
    }
  }

  QTextStream& stdOut = cli.out();
  if (parser.isSet(json)) {
    QJsonArray list;
    for (std::size_t i = 0; i < result->candidates.size(); ++i)
      list.append(candidateJson(result->candidates[i], i));
    QJsonObject o;
    o[QStringLiteral("bars")] = QStringLiteral("%1-%2").arg(options.firstBar).arg(options.lastBar);
    o[QStringLiteral("start_ticks")] = static_cast<qint64>(result->startTicks);
    o[QStringLiteral("end_ticks")] = static_cast<qint64>(result->endTicks);
    o[QStringLiteral("candidates")] = list;
    o[QStringLiteral("written")] = 1;
    o[QStringLiteral("out")] = QString::fromStdString(outPath.string());
    stdOut << QJsonDocument(o).toJson(QJsonDocument::Compact) << "\n";
  } else {
    const generate::InfillCandidate& best = result->candidates.front();
    stdOut << "Wrote " << QString::fromStdString(outPath.string()) << " (bars " << options.firstBar << "-"
           << options.lastBar << ": the best of " << result->candidates.size() << " candidates, seed " << best.seed
           << ", " << best.notes.size() << " notes";
    if (std::isfinite(best.score))
      stdOut << ", the next bars at " << QString::number(best.score, 'f', 3) << " nats a token";
    stdOut << ").\n";
  }
  return kExitOk;
}

} // namespace lyrebird::cli
