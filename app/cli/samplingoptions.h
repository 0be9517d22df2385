#pragma once

#include "generate/generator.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QTextStream>

namespace lyrebird::cli {

/// The sampling and steering flags generate, infill and evaluate share: --temperature, --top-k,
/// --top-p, --truncate, --repetition-penalty, --repeat, --max-repeat-bars, --density, --velocity,
/// --allow-copies and --tempo. Their defaults
/// are generate::GenerateOptions's (the measured-best settings the desktop app uses too).
struct SamplingFlags {
  QCommandLineOption temperature, topK, topP, truncate, penalty, repeat, maxRepeatBars, density, velocity, allowCopies,
      tempo;
};

SamplingFlags addSamplingOptions(QCommandLineParser& parser);

/// Reads the flags into `options` (unset flags keep its defaults); prints what is wrong as
/// "`command`: ..." and returns false for a value out of range.
bool readSamplingOptions(const QCommandLineParser& parser, const SamplingFlags& flags,
                         generate::GenerateOptions& options, const QString& command, QTextStream& err);

} // namespace lyrebird::cli
