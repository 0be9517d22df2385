#pragma once

#include <QMetaObject>
#include <QPointer>

#include <utility>

namespace lyrebird::ui {

/// From a worker thread: runs `call(*receiver)` later on the GUI thread (queued), if `receiver`
/// still exists by then. How the panels' workers (loading, training, generating, measuring,
/// exporting) post progress and results back; a panel closed meanwhile is simply skipped.
template <typename T, typename Call> void postToGui(const QPointer<T>& receiver, Call call) {
  QMetaObject::invokeMethod(
      receiver.data(),
      [receiver, call = std::move(call)]() mutable {
        if (receiver) call(*receiver);
      },
      Qt::QueuedConnection);
}

} // namespace lyrebird::ui
