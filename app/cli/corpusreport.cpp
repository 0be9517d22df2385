#include "corpusreport.h"

#include "midi/score.h"

#include <QJsonArray>
#include <QLocale>
#include <QTextStream>

#include <cmath>

namespace lyrebird::cli {

namespace {

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

QJsonObject problemToJson(const std::string& relativePath, const Error& e) {
  QJsonObject o;
  o[QStringLiteral("path")] = qs(relativePath);
  o[QStringLiteral("error")] = qs(e.message);
  o[QStringLiteral("kind")] =
      QString::fromUtf8(errorKindName(e.kind).data(), static_cast<qsizetype>(errorKindName(e.kind).size()));
  if (e.offset >= 0) {
    o[QStringLiteral("offset")] = static_cast<double>(e.offset);
  }
  return o;
}

QString duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long hours = total / 3600;
  const long long minutes = (total % 3600) / 60;
  const long long secs = total % 60;
  if (hours > 0) return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
  if (minutes > 0) return QStringLiteral("%1 min %2 s").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
}

QString pitch(int p) {
  return QStringLiteral("%1 (%2)").arg(qs(midi::pitchName(p))).arg(p);
}

} // namespace

QJsonObject corpusToJson(const corpus::Corpus& corpus, const corpus::FileSplit& split) {
  const corpus::CorpusStats& s = corpus.stats;
  QJsonObject o;
  o[QStringLiteral("folder")] = qs(corpus.root.string());
  o[QStringLiteral("files")] = static_cast<double>(s.files);
  o[QStringLiteral("loaded")] = static_cast<double>(s.loaded);
  QJsonArray failed;
  QJsonArray warnings;
  for (const corpus::CorpusFile& f : corpus.files) {
    if (f.error) {
      failed.append(problemToJson(f.relativePath, *f.error));
    }
    for (const Error& w : f.warnings) {
      warnings.append(problemToJson(f.relativePath, w));
    }
  }
  o[QStringLiteral("failed")] = failed;
  o[QStringLiteral("warnings")] = warnings;
  o[QStringLiteral("bytes")] = static_cast<double>(s.bytes);
  o[QStringLiteral("tracks")] = static_cast<double>(s.tracks);
  o[QStringLiteral("notes")] = static_cast<double>(s.notes);
  o[QStringLiteral("drum_notes")] = static_cast<double>(s.drumNotes);
  o[QStringLiteral("drum_share")] = s.drumShare();
  o[QStringLiteral("drums_included")] = corpus.includesDrums;
  o[QStringLiteral("seconds")] = s.seconds;
  o[QStringLiteral("pitch_min")] = s.minPitch;
  o[QStringLiteral("pitch_max")] = s.maxPitch;
  o[QStringLiteral("mean_polyphony")] = s.meanPolyphony;
  QJsonObject splitJson;
  splitJson[QStringLiteral("train")] = static_cast<double>(split.train.size());
  splitJson[QStringLiteral("valid")] = static_cast<double>(split.valid.size());
  splitJson[QStringLiteral("test")] = static_cast<double>(split.test.size());
  splitJson[QStringLiteral("from_folders")] = split.fromFolders;
  o[QStringLiteral("split")] = splitJson;
  return o;
}

QString corpusToText(const corpus::Corpus& corpus, const corpus::FileSplit& split) {
  const corpus::CorpusStats& s = corpus.stats;
  QLocale locale(QLocale::English);
  QString text;
  QTextStream out(&text);
  auto row = [&](const char* label, const QString& value) {
    out << QString::fromLatin1(label).leftJustified(13) << value << '\n';
  };
  row("Folder", qs(corpus.root.string()));
  row("Files", QStringLiteral("%1 MIDI files, %2 loaded, %3 failed%4")
                   .arg(locale.toString(static_cast<qulonglong>(s.files)))
                   .arg(locale.toString(static_cast<qulonglong>(s.loaded)))
                   .arg(locale.toString(static_cast<qulonglong>(s.failed)))
                   .arg(s.withWarnings ? QStringLiteral(" (%1 loaded with warnings)").arg(s.withWarnings) : QString()));
  row("Size", QStringLiteral("%1 MB").arg(static_cast<double>(s.bytes) / 1e6, 0, 'f', 1));
  row("Duration", duration(s.seconds));
  row("Tracks", locale.toString(static_cast<qulonglong>(s.tracks)));
  row("Notes", locale.toString(static_cast<qulonglong>(s.notes)) + (corpus.includesDrums
                                                                        ? QStringLiteral(" (drum tracks included)")
                                                                        : QStringLiteral(" (drum tracks excluded)")));
  row("Drum notes", QStringLiteral("%1 (%2% of all notes)")
                        .arg(locale.toString(static_cast<qulonglong>(s.drumNotes)))
                        .arg(100.0 * s.drumShare(), 0, 'f', 1));
  row("Pitch range", s.minPitch < 0 ? QStringLiteral("no pitched notes")
                                    : pitch(s.minPitch) + QStringLiteral(" to ") + pitch(s.maxPitch));
  row("Polyphony", QStringLiteral("%1 notes sounding at once on average").arg(s.meanPolyphony, 0, 'f', 2));
  row("Split",
      QStringLiteral("%1 train, %2 valid, %3 test files%4")
          .arg(split.train.size())
          .arg(split.valid.size())
          .arg(split.test.size())
          .arg(split.fromFolders ? QStringLiteral(" (from the folder's train/valid/test folders)") : QString()));
  bool header = false;
  for (const corpus::CorpusFile& f : corpus.files) {
    if (!f.error) continue;
    if (!header) {
      out << "\nFailed files:\n";
      header = true;
    }
    out << "  " << qs(f.relativePath) << ": " << qs(f.error->message);
    if (f.error->offset >= 0) out << " (at byte " << f.error->offset << ")";
    out << '\n';
  }
  header = false;
  for (const corpus::CorpusFile& f : corpus.files) {
    for (const Error& w : f.warnings) {
      if (!header) {
        out << "\nWarnings (these files were loaded):\n";
        header = true;
      }
      out << "  " << qs(f.relativePath) << ": " << qs(w.message) << '\n';
    }
  }
  return text;
}

} // namespace lyrebird::cli
