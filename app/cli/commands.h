#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <string>

namespace lyrebird::evaluate {
struct RepeatCalibration;
}

/// Sub-commands of lyrebird-cli. Each takes its own arguments (argv[0] is the command
/// name) and returns the process exit code: 0 success, 1 failure, 2 usage error.
namespace lyrebird::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Adds an option to `parser` and returns it: a flag without `valueName`, else an option
/// taking a value, with `fallback` as its default when given.
inline QCommandLineOption addOption(QCommandLineParser& parser, const char* name, const QString& help,
                                    const char* valueName = nullptr, const char* fallback = nullptr) {
  QCommandLineOption o(QString::fromLatin1(name), help);
  if (valueName) {
    o.setValueName(QString::fromLatin1(valueName));
    if (fallback) o.setDefaultValue(QString::fromLatin1(fallback));
  }
  parser.addOption(o);
  return o;
}

int runInfo(const QStringList& arguments);
int runBench(const QStringList& arguments);
int runTrain(const QStringList& arguments);
int runGenerate(const QStringList& arguments);
int runInfill(const QStringList& arguments);
int runRender(const QStringList& arguments);
int runPlay(const QStringList& arguments);
int runPorts(const QStringList& arguments);
int runRecord(const QStringList& arguments);
int runEvaluate(const QStringList& arguments);
int runCalibrate(const QStringList& arguments);
/// One sentence on a calibrated repeat setting (calibrate, and train after a run).
QString describeCalibration(const evaluate::RepeatCalibration& calibration);
int runExperiment(int argc, char** argv);

} // namespace lyrebird::cli
