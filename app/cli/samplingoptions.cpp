#include "samplingoptions.h"

#include "commands.h"

namespace lyrebird::cli {

namespace {

QString shown(double value) {
  return QString::number(value, 'g', 4);
}

} // namespace

SamplingFlags addSamplingOptions(QCommandLineParser& parser) {
  const generate::GenerateOptions defaults;
  const generate::SamplingOptions& s = defaults.sampling;
  return {
      addOption(
          parser, "temperature",
          QStringLiteral("Sampling temperature; 0 = always the likeliest (default %1).").arg(shown(s.temperature)),
          "T"),
      addOption(parser, "top-k",
                s.topK ? QStringLiteral("Draw among the K likeliest tokens only (default %1).").arg(s.topK)
                       : QStringLiteral("Draw among the K likeliest tokens only (default: all)."),
                "K"),
      addOption(parser, "top-p",
                QStringLiteral("Draw among the likeliest tokens that make up P of the probability (default %1).")
                    .arg(shown(s.topP)),
                "P"),
      addOption(parser, "truncate",
                QStringLiteral("What top-k and top-p cut: notes (the tails of note choices only; the rhythm is drawn "
                               "from the model's whole distribution) or all (default %1).")
                    .arg(defaults.truncateNotesOnly ? QStringLiteral("notes") : QStringLiteral("all")),
                "WHAT"),
      addOption(
          parser, "repetition-penalty",
          QStringLiteral("Above 1 discourages repeating recent tokens (default %1).").arg(shown(s.repetitionPenalty)),
          "R"),
      addOption(parser, "repeat",
                QStringLiteral("Repeat <-> vary, -10 to 10: how much more (or, below 0, less) than the model would "
                               "the music repeats the figure of the bar before (grid models; default: the "
                               "model's, measured on its training music when it was trained (see calibrate); for "
                               "models trained before, %1 for a 3 x 256 network or larger that trained %3 steps "
                               "or more or started from another model; %2 for the rest).")
                    .arg(shown(generate::GenerateOptions::kRepeatLargeNetwork))
                    .arg(shown(generate::GenerateOptions::kRepeatSmallNetwork))
                    .arg(generate::GenerateOptions::kWellTrainedSteps),
                "R"),
      addOption(parser, "max-repeat-bars",
                QStringLiteral("After this many bars repeated note for note, the music must vary (grid models; "
                               "0 = loops allowed; default %1).")
                    .arg(defaults.maxRepeatBars),
                "N"),
      addOption(parser, "density",
                QStringLiteral("Fewer <-> more notes than the model would write, -10 to 10 (nats added to every "
                               "note's odds; default %1).")
                    .arg(shown(defaults.density)),
                "D"),
      addOption(parser, "velocity",
                QStringLiteral("Dynamics: the velocities scaled into LO-HI, e.g. 30-80 (default %1-%2, as learned).")
                    .arg(defaults.minVelocity)
                    .arg(defaults.maxVelocity),
                "LO-HI"),
      addOption(parser, "allow-copies",
                QStringLiteral("Let takes copy more than 16 notes of a training file (by default a note that "
                               "would is redrawn).")),
      addOption(parser, "tempo",
                QStringLiteral("Tempo in BPM (default: the model's, one of its corpus's tempos drawn by the seed)."),
                "BPM"),
  };
}

bool readSamplingOptions(const QCommandLineParser& parser, const SamplingFlags& flags,
                         generate::GenerateOptions& options, const QString& command, QTextStream& err) {
  bool ok = true;
  auto read = [&](const QCommandLineOption& o, double lo, double hi, double& value) {
    if (!parser.isSet(o)) return;
    bool converted = false;
    const double v = parser.value(o).toDouble(&converted);
    if (!converted || v < lo || v > hi) {
      err << command << ": --" << o.names().first() << " must be a number from " << lo << " to " << hi << ".\n";
      ok = false;
      return;
    }
    value = v;
  };
  generate::SamplingOptions& s = options.sampling;
  double topK = s.topK;
  read(flags.temperature, 0, 100, s.temperature);
  read(flags.topK, 0, 65535, topK);
  read(flags.topP, 0.01, 1, s.topP);
  read(flags.penalty, 1, 100, s.repetitionPenalty);
  if (parser.isSet(flags.repeat)) {
    double repeat = 0.0;
    read(flags.repeat, -10, 10, repeat);
    options.repeat = repeat;
  }
  double maxRepeatBars = options.maxRepeatBars;
  read(flags.maxRepeatBars, 0, 1000, maxRepeatBars);
  options.maxRepeatBars = static_cast<int>(maxRepeatBars);
  read(flags.density, -10, 10, options.density);
  if (parser.isSet(flags.velocity)) {
    const QStringList range = parser.value(flags.velocity).split(QLatin1Char('-'));
    bool loOk = false, hiOk = false;
    const int lo = range.size() == 2 ? range[0].trimmed().toInt(&loOk) : 0;
    const int hi = range.size() == 2 ? range[1].trimmed().toInt(&hiOk) : 0;
    if (!loOk || !hiOk || lo < 1 || hi > 127 || lo > hi) {
      err << command << ": --velocity takes LO-HI within 1-127, softest first, e.g. 30-80.\n";
      ok = false;
    } else {
      options.minVelocity = lo;
      options.maxVelocity = hi;
    }
  }
  if (parser.isSet(flags.allowCopies)) options.avoidCopies = false;
  if (parser.isSet(flags.truncate)) {
    const QString what = parser.value(flags.truncate);
    if (what != QStringLiteral("notes") && what != QStringLiteral("all")) {
      err << command << ": --truncate takes notes or all.\n";
      ok = false;
    }
    options.truncateNotesOnly = what == QStringLiteral("notes");
  }
  read(flags.tempo, 1, 1000, options.tempoBpm);
  s.topK = static_cast<int>(topK);
  return ok;
}

} // namespace lyrebird::cli
