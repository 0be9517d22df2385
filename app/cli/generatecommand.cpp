#include "appdata.h"
#include "audiooptions.h"
#include "commandline.h"
#include "commands.h"
#include "samplingoptions.h"

#include "corpus/corpus.h"
#include "generate/generator.h"
#include "generate/prime.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cmath>
#include <filesystem>
#include <optional>

namespace lyrebird::cli {

namespace {

/// The prime options: a MIDI file, or a folder a window is drawn from.
struct PrimeFlags {
  QCommandLineOption prime, corpus;
};

/// Reads the prime the options name into `options.prime`: nullopt, or the exit status after an error line.
std::optional<int> readPrime(CommandLine& cli, const PrimeFlags& flags, std::uint64_t seed, double windowSeconds,
                             generate::GenerateOptions& options) {
  const QCommandLineParser& parser = cli.parser();
  if (parser.isSet(flags.prime)) {
    const Result<midi::SmfFile> primeFile = midi::readSmfFile(parser.value(flags.prime).toStdString());
    if (!primeFile) {
      cli.error() << QString::fromStdString(primeFile.error().describe()) << "\n";
      return kExitFailure;
    }
    options.prime = primeFile->score;
  }

  if (parser.isSet(flags.corpus)) {
    if (parser.isSet(flags.prime)) {
      cli.error() << "give --prime or --prime-corpus, not both.\n";
      return kExitUsage;
    }
    const Result<corpus::Corpus> loaded = corpus::loadCorpus(parser.value(flags.corpus).toStdString(), {});
    if (!loaded) {
      cli.error() << QString::fromStdString(loaded.error().describe()) << "\n";
      return kExitFailure;
    }
    std::vector<midi::Score> pieces;
    for (const corpus::CorpusFile& file : loaded->files) {
      if (file.score) pieces.push_back(*file.score);
    }
    const Result<midi::Score> window = generate::corpusWindow(pieces, seed, windowSeconds);
    if (!window) {
      cli.error() << QString::fromStdString(window.error().message) << "\n";
      return kExitFailure;
    }
    options.prime = *window;
  }
  return std::nullopt;
}

/// Where the pieces go: `count` MIDI files (numbered when more than one) and their audio if asked.
struct Outputs {
  std::filesystem::path midi;
  std::filesystem::path audio;
  std::optional<audio::RenderOptions> render;
  int count = 1;
  bool printTokens = false;
};

/// Generates and writes the pieces, seeds firstSeed, firstSeed + 1, ...; the exit status.
int writePieces(CommandLine& cli, generate::Generator& generator, generate::GenerateOptions options,
                std::uint64_t firstSeed, const Outputs& outputs) {
  QTextStream& stdOut = cli.out();
  auto numbered = [&](const std::filesystem::path& p, int i) {
    if (outputs.count <= 1) return p;
    return p.parent_path() / (p.stem().string() + "-" + std::to_string(i + 1) + p.extension().string());
  };
  for (int i = 0; i < outputs.count; ++i) {
    options.seed = firstSeed + static_cast<std::uint64_t>(i);
    const std::filesystem::path path = numbered(outputs.midi, i);
    generate::GenerateListener listener;
    QString drawn;
    if (outputs.printTokens) {
      listener.onToken = [&](tokenize::TokenId id, std::size_t) {
        drawn += QString::fromStdString(generator.vocabulary().token(id)) + QLatin1Char(' ');
      };
    }
    const Result<midi::Score> piece = generator.generate(options, listener);
    if (!drawn.isEmpty()) stdOut << drawn.trimmed() << "\n";
    if (!piece) {
      cli.error() << QString::fromStdString(piece.error().message) << "\n";
      return kExitFailure;
    }
    if (const Status written = midi::writeSmfFile(*piece, path); !written) {
      cli.error() << QString::fromStdString(written.error().describe()) << "\n";
      return kExitFailure;
    }
    QString written = QStringLiteral("%1 notes, seed %2").arg(piece->noteCount()).arg(options.seed);
    if (const std::optional<tokenize::Key> inKey = generator.key(options); inKey && !options.prime) {
      written += QStringLiteral(", ") + QString::fromStdString(inKey->name());
    }
    written += QStringLiteral(", %1 BPM").arg(std::lround(generator.tempoBpm(options)));
    stdOut << "Wrote " << QString::fromStdString(path.string()) << " (" << written << ").\n";
    if (outputs.render) {
      const std::filesystem::path audioPath = numbered(outputs.audio, i);
      const Result<audio::RenderStats> rendered = audio::renderToFile(*piece, audioPath, *outputs.render);
      if (!rendered) {
        cli.error() << QString::fromStdString(rendered.error().describe()) << "\n";
        return kExitFailure;
      }
      stdOut << "Wrote " << QString::fromStdString(audioPath.string()) << " ("
             << QString::number(rendered->seconds, 'f', 1) << " s of audio).\n";
    }
  }
  return kExitOk;
}

} // namespace

int runGenerate(const QStringList& arguments) {
  CommandLine cli(
      QStringLiteral("generate"),
      QStringLiteral("lyrebird-cli generate: write new music with a trained model (.lyrebird) as a MIDI file."));
  QCommandLineParser& parser = cli.parser();
  auto option = [&](const char* name, const char* help, const char* valueName, const char* fallback = nullptr) {
    return addOption(parser, name, help, valueName, fallback);
  };
  const auto modelPath = option("model", "The trained model (default: the bundled model).", "MODEL");
  const auto out = option("out", "The MIDI file to write.", "OUT.mid");
  const auto length = option("length", "30s, 16bars or 500tokens (default 30s).", "L", "30s");
  const SamplingFlags sampling = addSamplingOptions(parser);
  const auto seed = option("seed", "Seed; the same seed, model and options give the same piece.", "S", "0");
  const auto prime = option("prime", "A MIDI file whose ending the new music continues.", "FILE.mid");
  const auto primeCorpus = option(
      "prime-corpus", "Continue a window chosen (by the seed) from a piece in this folder of MIDI files.", "DIR");
  const auto primeSeconds = option("prime-seconds", "Length of the --prime-corpus window (default 8).", "S", "8");
  const auto polyphony = option("polyphony", "At most this many notes at once (default: no limit).", "N", "0");
  const auto key = option("key",
                          "The key to write in, e.g. \"Eb major\", \"B minor\", or any (the default: one of the "
                          "corpus's keys, drawn by the seed). A prime keeps its own key.",
                          "KEY");
  const auto scale =
      option("scale", "Keep every new note in a scale, e.g. \"D dorian\", \"A blues\" (a hard limit).", "SCALE");
  const auto lowest = option("lowest", "Lowest pitch of new notes, 0-127 (default 0).", "P", "0");
  const auto highest = option("highest", "Highest pitch of new notes, 0-127 (default 127).", "P", "127");
  const auto variations = option("variations", "Write N pieces: OUT-1.mid ... OUT-N.mid, seeds S, S+1, ...", "N", "1");
  const auto program = option("program", "General MIDI program of the track, 0-127 (default 0, piano).", "P", "0");
  const auto wav = option("wav", "Also render the piece to audio (.wav, .flac or .ogg).", "OUT.wav");
  const auto printTokens = option("print-tokens", "Also print the tokens drawn (for looking into a model).", nullptr);
  const AudioOptions audioOptions = addAudioOptions(parser);

  QTextStream& err = cli.err();
  if (const std::optional<int> exit = cli.parse(arguments)) return *exit;
  if (!parser.isSet(out)) {
    cli.error() << "give --out OUT.mid (and --model MODEL.lyrebird, or the bundled model is used).\n";
    return kExitUsage;
  }
  const QString model = parser.isSet(modelPath) ? parser.value(modelPath) : ui::bundledModelPath();
  if (model.isEmpty()) {
    cli.error() << "give --model MODEL.lyrebird: the bundled model is not installed.\n";
    return kExitUsage;
  }
  generate::GenerateOptions options;
  bool ok = true;
  auto number = [&](const QCommandLineOption& o, double lo, double hi) {
    bool converted = false;
    const double value = parser.value(o).toDouble(&converted);
    if (!converted || value < lo || value > hi) {
      cli.error() << "--" << o.names().first() << " must be a number from " << lo << " to " << hi << ".\n";
      ok = false;
    }
    return value;
  };
  ok = readSamplingOptions(parser, sampling, options, cli.prefix(), err);
  options.minPitch = static_cast<int>(number(lowest, 0, 127));
  options.maxPitch = static_cast<int>(number(highest, 0, 127));
  options.program = static_cast<int>(number(program, 0, 127));
  options.maxPolyphony = static_cast<int>(number(polyphony, 0, 128));
  const double windowSeconds = number(primeSeconds, 0.5, 600);
  const int count = static_cast<int>(number(variations, 1, 1000));
  bool seedOk = false;
  const std::uint64_t firstSeed = parser.value(seed).toULongLong(&seedOk);
  if (!seedOk) {
    cli.error() << "--seed takes a whole number.\n";
    ok = false;
  }
  if (!ok) return kExitUsage;
  const Result<generate::Length> parsedLength = generate::Length::parse(parser.value(length).toStdString());
  if (!parsedLength) {
    cli.error() << QString::fromStdString(parsedLength.error().message) << "\n";
    return kExitUsage;
  }
  options.length = *parsedLength;
  if (parser.isSet(key) && parser.value(key).trimmed().compare(QStringLiteral("any"), Qt::CaseInsensitive) != 0) {
    options.key = tokenize::Key::parse(parser.value(key).toStdString());
    if (!options.key) {
      cli.error() << "--key takes a major or minor key, like \"Eb major\" or \"B minor\", or any (\""
                  << parser.value(key) << "\" is neither).\n";
      return kExitUsage;
    }
  }
  if (parser.isSet(scale)) {
    const Result<generate::Scale> parsed = generate::parseScale(parser.value(scale).toStdString());
    if (!parsed) {
      cli.error() << QString::fromStdString(parsed.error().message) << "\n";
      return kExitUsage;
    }
    options.scale = *parsed;
  }
  if (const std::optional<int> exit = readPrime(cli, {prime, primeCorpus}, firstSeed, windowSeconds, options)) {
    return *exit;
  }
  std::optional<audio::RenderOptions> renderOptions;
  if (parser.isSet(wav)) {
    if (const Result<audio::FileFormat> format = audio::formatFromPath(parser.value(wav).toStdString()); !format) {
      cli.error() << QString::fromStdString(format.error().message) << "\n";
      return kExitUsage;
    }
    renderOptions = readAudioOptions(parser, audioOptions, cli.prefix(), err);
    if (!renderOptions) return kExitFailure;
  }

  const Result<std::unique_ptr<generate::Generator>> generator = generate::Generator::load(model.toStdString());
  if (!generator) {
    cli.error() << QString::fromStdString(generator.error().describe()) << "\n";
    return kExitFailure;
  }
  err << QString::fromStdString((*generator)->describe()) << "\n";

  Outputs outputs;
  outputs.midi = parser.value(out).toStdString();
  outputs.audio = parser.value(wav).toStdString();
  outputs.render = renderOptions;
  outputs.count = count;
  outputs.printTokens = parser.isSet(printTokens);
  return writePieces(cli, **generator, options, firstSeed, outputs);
}

} // namespace lyrebird::cli
