#pragma once

#include "midi/score.h"

#include <QString>

namespace lyrebird::ui {

/// A generated piece kept in the take list: what the Generate panel writes, the Takes panel
/// lists and the Compare view measures.
struct Take {
  QString name;
  midi::Score score;
  quint64 seed = 0;
  double temperature = 1.0;
  QString model; ///< the model file that wrote it
};

} // namespace lyrebird::ui
