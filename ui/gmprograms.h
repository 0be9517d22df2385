#pragma once

#include <QStringList>

namespace lyrebird::ui {

/// The 128 General MIDI program names, in program order (0 = Acoustic Grand Piano).
const QStringList& gmProgramNames();

} // namespace lyrebird::ui
