#pragma once

#include <QMainWindow>

class QLabel;

namespace lyrebird::ui {

/// The application window. Composes the panels and wires them; owns no algorithm.
/// GUI thread only.
class MainWindow : public QMainWindow {
  Q_OBJECT

public:
  explicit MainWindow(QWidget* parent = nullptr);

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void createMenus();
  void showAbout();
  void restoreLayout();

  QLabel* m_welcome = nullptr;
};

} // namespace lyrebird::ui
