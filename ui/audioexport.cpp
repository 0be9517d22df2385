#include "audioexport.h"

#include "appdata.h"
#include "guithread.h"

#include "audio/renderer.h"
#include "audio/soundfont.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QPointer>
#include <QProgressDialog>

#include <algorithm>
#include <thread>

namespace lyrebird::ui {

Status exportAudio(QWidget* parent, const midi::Score& score, const QString& path, const SoundPreferences& sound) {
  audio::SoundFontSearch search;
  search.userChoice = sound.soundFont.toStdString();
  search.bundledFolders = bundledSoundFontFolders();
  const Result<std::filesystem::path> found = audio::findSoundFont(search);
  if (!found) return found.error();
  audio::RenderOptions options;
  options.synth.soundFont = *found;
  options.synth.gain = sound.gain;
  options.synth.reverb = sound.reverb;
  options.synth.chorus = sound.chorus;
  options.synth.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));

  QProgressDialog progress(QObject::tr("Rendering %1…").arg(QDir::toNativeSeparators(path)), QObject::tr("Cancel"), 0,
                           1000, parent);
  progress.setWindowTitle(QObject::tr("Export Audio"));
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(300);
  QPointer<QProgressDialog> dialog(&progress);
  QEventLoop loop;
  std::stop_source stop;
  Status outcome = Done{};
  QObject::connect(&progress, &QProgressDialog::canceled, &progress, [&stop] { stop.request_stop(); });
  std::jthread worker([&, target = path.toStdString()] {
    const Result<audio::RenderStats> rendered = audio::renderToFile(
        score, target, options,
        [dialog](double fraction) {
          postToGui(dialog, [fraction](QProgressDialog& d) { d.setValue(static_cast<int>(fraction * 1000)); });
        },
        stop.get_token());
    if (!rendered) outcome = rendered.error();
    QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection);
  });
  loop.exec();
  worker.join();
  return outcome;
}

} // namespace lyrebird::ui
