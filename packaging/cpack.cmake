# `cpack -G DEB` in a build folder makes a Debian package of the installed targets.
set(CPACK_PACKAGE_NAME "lyrebird")
set(CPACK_PACKAGE_VENDOR "Lyrebird")
set(CPACK_PACKAGE_CONTACT "Lyrebird developers <lyrebird@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "sound")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6")  # the SVG icon plugin
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "timgm6mb-soundfont | fluid-soundfont-gm")
include(CPack)
