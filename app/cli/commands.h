#pragma once

#include <QStringList>

/// Sub-commands of lyrebird-cli. Each takes its own arguments (argv[0] is the command
/// name) and returns the process exit code: 0 success, 1 failure, 2 usage error.
namespace lyrebird::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int runInfo(const QStringList& arguments);
int runBench(const QStringList& arguments);
int runTrain(const QStringList& arguments);
int runGenerate(const QStringList& arguments);

} // namespace lyrebird::cli
