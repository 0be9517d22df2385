#include "generatepanel.h"
#include "mainwindow.h"
#include "notedocument.h"
#include "pianoroll.h"
#include "preferencesdialog.h"
#include "recentfilesmenu.h"
#include "testsupport.h"
#include "transport.h"

#include "midi/smfreader.h"
#include "midi/smfwriter.h"
#include "midiio/midiports.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QtTest>

class TestMainWindow : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void showsMenusAndStatus();
  void geometryPersists();
  void takesFitOnASmallScreen();
  void openEditUndoExport();
  void spacePlaysAndStops();
  void brokenFileSaysWhy();
  void preferencesRoundTrip();
  void midiOutputPreference();
  void recentFiles();
  void recordingPrimeWithoutKeyboard();
};

void TestMainWindow::initTestCase() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("LyrebirdTest"));
  QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
  QSettings().clear();
}

void TestMainWindow::showsMenusAndStatus() {
  lyrebird::ui::MainWindow window;
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(window.windowTitle().endsWith(QStringLiteral("Lyrebird")));
  QStringList menus;
  for (QAction* action : window.menuBar()->actions())
    menus << action->text().remove(u'&');
  QVERIFY(menus.contains(QStringLiteral("File")));
  QVERIFY(menus.contains(QStringLiteral("Edit")));
  QVERIFY(menus.contains(QStringLiteral("View")));
  QVERIFY(menus.contains(QStringLiteral("Help")));
  // No audio device here: said once in the status bar, in plain words.
  if (!window.transport()->canSound()) {
    QVERIFY(!window.statusBar()->currentMessage().isEmpty());
  }
  QVERIFY(!window.windowIcon().isNull());
}

void TestMainWindow::geometryPersists() {
  {
    lyrebird::ui::MainWindow window;
    window.show();
    window.resize(900, 640);
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.close();
  }
  lyrebird::ui::MainWindow again;
  QCOMPARE(again.size(), QSize(900, 640));
}

void TestMainWindow::takesFitOnASmallScreen() {
  QSettings().clear(); // a first start: the first layout, not a saved one
  lyrebird::ui::MainWindow window;
  window.resize(1280, 800);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QTest::qWait(50); // the first layout is applied once the window has its size
  auto* takes = window.findChild<QWidget*>(QStringLiteral("takesPanel"));
  QVERIFY(takes);
  // Keep, Delete and Regenerate in view, and room for several takes.
  const QList<QPushButton*> buttons = takes->findChildren<QPushButton*>();
  QCOMPARE(buttons.size(), 3);
  for (QPushButton* button : buttons) {
    const QRect inWindow(button->mapTo(&window, QPoint(0, 0)), button->size());
    QVERIFY2(window.rect().contains(inWindow) && !button->visibleRegion().isEmpty(), qPrintable(button->text()));
  }
  auto* list = takes->findChild<QListWidget*>(QStringLiteral("takes"));
  QVERIFY(list);
  QVERIFY2(list->viewport()->height() >= 6 * list->fontMetrics().height(),
           qPrintable(QString::number(list->viewport()->height())));
  // The Generate button too.
  auto* generate = window.findChild<QPushButton*>(QStringLiteral("generate"));
  QVERIFY(generate && !generate->visibleRegion().isEmpty());
  QSettings().clear();
}

namespace {
std::filesystem::path writePiece(const std::filesystem::path& folder) {
  lyrebird::midi::Score score;
  lyrebird::midi::Track track;
  for (int i = 0; i < 8; ++i)
    track.notes.push_back({i * 240, 240, static_cast<std::uint8_t>(60 + i), 90});
  score.tracks = {track};
  const auto path = folder / "piece.mid";
  if (!lyrebird::midi::writeSmfFile(score, path)) qFatal("cannot write the test piece");
  return path;
}
} // namespace

void TestMainWindow::openEditUndoExport() {
  lyrebird::test::TempFolder folder;
  const auto path = writePiece(folder.path());
  lyrebird::ui::MainWindow window;
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(window.openMidi(QString::fromStdString(path.string())));
  QCOMPARE(window.document()->notes().size(), std::size_t{8});
  QVERIFY(window.windowTitle().startsWith(QStringLiteral("piece.mid")));
  // The piano roll shows the whole piece: its time and its pitches (60 to 67).
  const lyrebird::ui::PianoRoll* roll = window.pianoRoll();
  QTRY_VERIFY(roll->visibleStartTicks() == 0 && roll->visibleEndTicks() >= window.document()->endTicks());
  QVERIFY(roll->visibleLowestPitch() <= 60 && roll->visibleHighestPitch() >= 67);

  // Edit a note through the keyboard shortcuts, then undo it.
  window.document()->setSelection({1});
  QTest::keyClick(window.pianoRoll(), Qt::Key_Up, Qt::AltModifier);
  QCOMPARE(window.document()->notes()[0].note.pitch, std::uint8_t{61});
  QVERIFY(window.windowTitle().contains(u'*'));
  QTest::keyClick(window.pianoRoll(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(window.document()->notes()[0].note.pitch, std::uint8_t{60});
  QTest::keyClick(window.pianoRoll(), Qt::Key_A, Qt::ControlModifier);
  QCOMPARE(window.document()->selectedCount(), 8);
  QTest::keyClick(window.pianoRoll(), Qt::Key_Delete);
  QCOMPARE(window.document()->notes().size(), std::size_t{0});
  QTest::keyClick(window.pianoRoll(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier); // nothing to redo
  QTest::keyClick(window.pianoRoll(), Qt::Key_Z, Qt::ControlModifier);
  QCOMPARE(window.document()->notes().size(), std::size_t{8});

  // Export what is shown, as MIDI and as audio.
  const QString midiOut = QString::fromStdString((folder.path() / "out.mid").string());
  QVERIFY(window.exportMidi(midiOut));
  const auto reread = lyrebird::midi::readSmfFile(midiOut.toStdString());
  QVERIFY(reread.ok());
  QCOMPARE(reread->score.noteCount(), std::size_t{8});
  if (std::filesystem::exists("/usr/share/sounds/sf2/TimGM6mb.sf2")) {
    const auto wav = folder.path() / "out.wav";
    QVERIFY(window.exportAudioFile(QString::fromStdString(wav.string())));
    QVERIFY(std::filesystem::file_size(wav) > 44100 * 4); // more than a second of 16-bit stereo
  }
}

void TestMainWindow::spacePlaysAndStops() {
  lyrebird::test::TempFolder folder;
  lyrebird::ui::MainWindow window;
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  QVERIFY(window.openMidi(QString::fromStdString(writePiece(folder.path()).string())));
  QTest::keyClick(window.pianoRoll(), Qt::Key_Space);
  QVERIFY(window.transport()->isPlaying());
  // The playhead moves, with or without a sound device.
  QTRY_VERIFY_WITH_TIMEOUT(window.transport()->positionTicks() > 0, 3000);
  QTest::keyClick(window.pianoRoll(), Qt::Key_Space);
  QVERIFY(!window.transport()->isPlaying());
  QTest::keyClick(window.pianoRoll(), Qt::Key_Home);
  QCOMPARE(window.transport()->positionTicks(), std::int64_t{0});
}

void TestMainWindow::brokenFileSaysWhy() {
  lyrebird::test::TempFolder folder;
  lyrebird::test::writeBytes(folder.path() / "broken.mid", {'M', 'T', 'h', 'd', 0, 0});
  lyrebird::ui::MainWindow window;
  // The warning box is modal: close it as soon as it shows.
  QTimer::singleShot(0, [] {
    QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
    QApplication::activeModalWidget()->close();
  });
  QVERIFY(!window.openMidi(QString::fromStdString((folder.path() / "broken.mid").string())));
  QCOMPARE(window.document()->notes().size(), std::size_t{0});
}

void TestMainWindow::preferencesRoundTrip() {
  lyrebird::ui::SoundPreferences p;
  p.gain = 0.8;
  p.reverb = false;
  p.audioDriver = QStringLiteral("alsa");
  p.save();
  lyrebird::ui::PreferencesDialog dialog;
  QCOMPARE(dialog.sound().gain, 0.8);
  QVERIFY(!dialog.sound().reverb);
  QCOMPARE(dialog.sound().audioDriver, QStringLiteral("alsa"));
  // A file that is not a SoundFont is refused: the dialog stays open.
  lyrebird::test::TempFolder folder;
  lyrebird::test::writeBytes(folder.path() / "x.sf2", {'n', 'o', 'p', 'e', 0, 0, 0, 0, 0, 0, 0, 0});
  dialog.findChild<QLineEdit*>(QStringLiteral("soundFont"))
      ->setText(QString::fromStdString((folder.path() / "x.sf2").string()));
  dialog.show();
  QMetaObject::invokeMethod(dialog.findChild<QDialogButtonBox*>(), "accepted");
  QVERIFY(dialog.isVisible());
  QCOMPARE(dialog.result(), 0);
  lyrebird::ui::SoundPreferences{}.save();
}

void TestMainWindow::midiOutputPreference() {
  using Output = lyrebird::ui::SoundPreferences::Output;
  lyrebird::ui::SoundPreferences p;
  p.output = Output::MidiPort;
  p.midiOutputPort = QStringLiteral("Some Synth");
  p.midiInputPort = QStringLiteral("Some Keyboard");
  p.save();
  const bool midiSystem = lyrebird::midiio::outputPorts().ok();
  {
    // The saved ports stay chosen even when they are not connected now; the dialog says
    // what state MIDI is in, in plain words.
    lyrebird::ui::PreferencesDialog dialog;
    QCOMPARE(dialog.sound().output, Output::MidiPort);
    QCOMPARE(dialog.sound().midiOutputPort, QStringLiteral("Some Synth"));
    QCOMPARE(dialog.sound().midiInputPort, QStringLiteral("Some Keyboard"));
    const QString status = dialog.findChild<QLabel*>(QStringLiteral("midiStatus"))->text();
    QVERIFY(!status.isEmpty());
    if (!midiSystem) QVERIFY2(status.contains(QStringLiteral("not available")), qPrintable(status));
    // Choosing the built-in synthesizer again.
    dialog.findChild<QComboBox*>(QStringLiteral("midiOutput"))->setCurrentIndex(0);
    QCOMPARE(dialog.sound().output, Output::Synth);
  }
  // A port that cannot be opened: the transport says so and still works.
  lyrebird::ui::Transport transport(p);
  QVERIFY(!transport.playsToMidi());
  QVERIFY2(transport.message().contains(QStringLiteral("MIDI output cannot be used")), qPrintable(transport.message()));
  lyrebird::midi::Score score;
  score.tracks.resize(1);
  score.tracks[0].notes = {{0, 480, 60, 100}};
  transport.setScore(score);
  transport.play();
  QTRY_VERIFY_WITH_TIMEOUT(transport.positionTicks() > 0, 3000);
  transport.stop();
  lyrebird::ui::SoundPreferences{}.save();
}

void TestMainWindow::recentFiles() {
  lyrebird::test::TempFolder folder;
  const QString path = QString::fromStdString(writePiece(folder.path()).string());
  lyrebird::ui::MainWindow window;
  QVERIFY(window.openMidi(path));
  auto* recent = window.findChild<lyrebird::ui::RecentFilesMenu*>();
  QVERIFY(recent);
  QVERIFY(recent->isEnabled());
  QCOMPARE(recent->actions().first()->toolTip(), path);
  // A new window lists it too, and choosing it opens it.
  lyrebird::ui::MainWindow again;
  auto* listed = again.findChild<lyrebird::ui::RecentFilesMenu*>();
  QCOMPARE(listed->actions().first()->toolTip(), path);
  listed->actions().first()->trigger();
  QCOMPARE(again.document()->notes().size(), std::size_t{8});
}

void TestMainWindow::recordingPrimeWithoutKeyboard() {
  lyrebird::ui::GeneratePanel panel;
  panel.show();
  auto* prime = panel.findChild<QComboBox*>(QStringLiteral("prime"));
  auto* row = panel.findChild<QWidget*>(QStringLiteral("recordRow"));
  QVERIFY(!row->isVisible());
  prime->setCurrentIndex(prime->count() - 1);
  QVERIFY(row->isVisible());
  auto* record = panel.findChild<QPushButton*>(QStringLiteral("record"));
  auto* label = panel.findChild<QLabel*>(QStringLiteral("recordingLabel"));
  QCOMPARE(label->text(), QStringLiteral("Nothing recorded yet."));
  if (lyrebird::midiio::inputPorts().ok() && !lyrebird::midiio::inputPorts()->empty()) {
    QSKIP("a MIDI keyboard is connected; this checks the machine without one");
  }
  // No MIDI system or no keyboard: one plain sentence, and the button is ready again.
  record->click();
  QVERIFY(!record->isChecked());
  QCOMPARE(record->text(), QStringLiteral("Record"));
  QVERIFY2(label->text().contains(QStringLiteral("MIDI is not available")) ||
               label->text().contains(QStringLiteral("No MIDI keyboard")),
           qPrintable(label->text()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
