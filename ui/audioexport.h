#pragma once

#include "base/result.h"
#include "midi/score.h"

#include <QString>

#include "preferencesdialog.h"

class QWidget;

namespace lyrebird::ui {

/// Renders `score` to an audio file (.wav, .flac or .ogg) on a worker thread while a
/// progress dialog with Cancel keeps the window responsive, with the sound preferences
/// (SoundFont, gain, reverb, chorus). Returns the failure, if any (a cancel is
/// ErrorKind::Cancelled); nothing is left behind by a failed or cancelled export.
Status exportAudio(QWidget* parent, const midi::Score& score, const QString& path, const SoundPreferences& sound);

} // namespace lyrebird::ui
