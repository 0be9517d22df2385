# `cpack -G DEB` in a build folder makes the Debian package of the installed files
# (packaging/make-deb.sh: a clean Release build, the man pages, lintian).
set(CPACK_PACKAGE_NAME "lyrebird")
set(CPACK_PACKAGE_VENDOR "The Lyrebird developers")
set(CPACK_PACKAGE_CONTACT "The Lyrebird developers <lyrebird-composer@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "composer that learns music from MIDI files with LSTM networks")
# CPack writes the summary as the synopsis and this as the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Lyrebird learns the music in a folder of MIDI files with LSTM networks and
writes new pieces in its style. Load a folder, watch the loss and accuracy
charts while it trains in the background, press Generate and listen at once
while the notes appear in a piano roll, then export the piece as MIDI, WAV,
FLAC or Ogg. A bundled model plays the first piece within seconds and can be
fine-tuned on a small folder of your own music in minutes.
.
The lyrebird-cli command does everything the window does, without one.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${LYREBIRD_HOMEPAGE}")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "sound")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time, so shlibdeps cannot see them: the Qt platform plugins (xcb, offscreen), the
# SVG plugin for the icon, and an optimized BLAS: LibTorch trains through the BLAS that
# update-alternatives provides, and with the reference BLAS a training step was measured 14x
# slower (../shared/MEASURED.md).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6, libopenblas0-pthread | libopenblas0")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "timgm6mb-soundfont | fluid-soundfont-gm, bash-completion")
include(CPack)
