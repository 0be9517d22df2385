#pragma once

#include "corpus/corpus.h"
#include "corpus/split.h"

#include <QJsonObject>
#include <QString>

namespace lyrebird::cli {

/// The statistics of a loaded corpus as one JSON object (the `info --json` schema:
/// files, loaded, failed[{path, error, kind, offset}], warnings[...], notes, seconds, ...).
QJsonObject corpusToJson(const corpus::Corpus& corpus, const corpus::FileSplit& split);

/// The same statistics as aligned text for people.
QString corpusToText(const corpus::Corpus& corpus, const corpus::FileSplit& split);

} // namespace lyrebird::cli
