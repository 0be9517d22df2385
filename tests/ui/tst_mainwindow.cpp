#include "mainwindow.h"

#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QtTest>

class TestMainWindow : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase();
  void showsMenusAndStatus();
  void geometryPersists();
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
  QCOMPARE(window.windowTitle(), QStringLiteral("Lyrebird"));
  QStringList menus;
  for (QAction* action : window.menuBar()->actions()) menus << action->text().remove(u'&');
  QVERIFY(menus.contains(QStringLiteral("File")));
  QVERIFY(menus.contains(QStringLiteral("Help")));
  QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Ready"));
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

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
