#include "corpuspanel.h"
#include "generatepanel.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

int main(int argc, char* argv[]) {
  QElapsedTimer sinceStart;
  sinceStart.start();
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Lyrebird"));
  QApplication::setApplicationName(QStringLiteral("Lyrebird"));
  QApplication::setApplicationVersion(QStringLiteral(LYREBIRD_VERSION));
  QApplication::setDesktopFileName(QStringLiteral("org.lyrebird.Lyrebird"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Learns music from a folder of MIDI files and writes new music."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("file"),
                               QStringLiteral("A MIDI file to open, or a model (.lyrebird) to generate with."),
                               QStringLiteral("[file.mid|model.lyrebird]"));
  const QCommandLineOption corpus(QStringLiteral("corpus"), QStringLiteral("Load this folder of MIDI files."),
                                  QStringLiteral("DIR"));
  const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Open this model for generating."),
                                 QStringLiteral("MODEL.lyrebird"));
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("Save a picture of the window to FILE once it has opened its data, print how long the window "
                     "took to become usable, and quit (for CI and documentation)."),
      QStringLiteral("FILE.png"));
  parser.addOptions({corpus, model, screenshot});
  parser.process(app);

  lyrebird::ui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) {
    const QString file = parser.positionalArguments().constFirst();
    if (file.endsWith(QStringLiteral(".lyrebird"), Qt::CaseInsensitive)) {
      window.generatePanel()->loadModel(file);
    } else {
      window.openMidi(file);
    }
  }
  if (parser.isSet(corpus)) window.corpusPanel()->load(parser.value(corpus));
  if (parser.isSet(model)) window.generatePanel()->loadModel(parser.value(model));
  if (parser.isSet(screenshot)) {
    // The first turn of the event loop after show(): the window is painted and takes input.
    QTimer::singleShot(0, &window, [&sinceStart] {
      QTextStream(stdout) << "lyrebird: window usable after " << sinceStart.elapsed() << " ms\n";
    });
    QTimer::singleShot(2500, &window, [&window, file = parser.value(screenshot)] {
      const bool saved = window.grab().save(file);
      QTextStream(saved ? stdout : stderr)
          << (saved ? "lyrebird: saved " : "lyrebird: could not save ") << file << "\n";
      QApplication::exit(saved ? 0 : 1);
    });
  }
  return QApplication::exec();
}
