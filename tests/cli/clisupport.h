#pragma once

// What the command-line tests share: running lyrebird-cli and writing a small corpus.

#include "midi/smfwriter.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <filesystem>
#include <string>

namespace lyrebird::test {

struct Run {
  int exitCode = -1; ///< -1: did not finish in time; -2: crashed
  QByteArray out;
  QByteArray err;
};

/// Runs lyrebird-cli with `arguments` and waits for it (up to `milliseconds`).
inline Run runCli(const QStringList& arguments, int milliseconds = 120000) {
  QProcess process;
  process.start(QStringLiteral(LYREBIRD_CLI_PATH), arguments);
  Run run;
  if (!process.waitForFinished(milliseconds)) {
    process.kill();
    return run;
  }
  run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
  run.out = process.readAllStandardOutput();
  run.err = process.readAllStandardError();
  return run;
}

inline QString qpath(const std::filesystem::path& p) {
  return QString::fromStdString(p.string());
}

/// `files` one-track pieces of a C major scale (transposed up by the file's number), 64 eighths each.
inline void writeMelodies(const std::filesystem::path& folder, int files) {
  const int melody[] = {60, 62, 64, 65, 67, 69, 71, 72};
  for (int f = 0; f < files; ++f) {
    midi::Score score;
    midi::Track track;
    for (int i = 0; i < 64; ++i)
      track.notes.push_back({i * 240, 240, static_cast<std::uint8_t>(melody[i % 8] + f), 90});
    score.tracks = {track};
    QVERIFY(midi::writeSmfFile(score, folder / ("m" + std::to_string(f) + ".mid")).ok());
  }
}

} // namespace lyrebird::test
