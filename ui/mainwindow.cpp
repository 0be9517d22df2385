#include "mainwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace lyrebird::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("Lyrebird"));
  setWindowIcon(QIcon(QStringLiteral(":/lyrebird/icons/lyrebird.svg")));
  setObjectName(QStringLiteral("MainWindow"));

  m_welcome = new QLabel(this);
  m_welcome->setObjectName(QStringLiteral("welcome"));
  m_welcome->setAlignment(Qt::AlignCenter);
  m_welcome->setWordWrap(true);
  m_welcome->setText(tr("<h2>Lyrebird</h2>"
                        "<p>Learns music from a folder of MIDI files and writes new music.</p>"));
  setCentralWidget(m_welcome);

  createMenus();
  statusBar()->showMessage(tr("Ready"));
  restoreLayout();
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Lyrebird"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Lyrebird"),
                     tr("<h3>Lyrebird %1</h3>"
                        "<p>A desktop composer that learns music from a folder of MIDI files "
                        "with LSTM networks and writes new music.</p>"
                        "<p>Built with Qt %2.</p>")
                         .arg(QStringLiteral(LYREBIRD_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::restoreLayout() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
    resize(1100, 720);
  }
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  event->accept();
}

} // namespace lyrebird::ui
