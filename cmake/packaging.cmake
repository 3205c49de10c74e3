# Debian packages (cpack -G DEB, from the packager's build: scripts/build-release.sh),
# one per install component, so no file is in two packages:
#   kaappi-common  the PDF helper both programs run (lib/kaappi/), the shared docs
#   kaappi         the key holder's machine: kaappi, its man page and completion,
#                  the agent's and the nightly verify's and backup's user units
#   kaappi-scan    the scanning station: kaappi-scan (no secret-key code), its man
#                  page and completion, the kaappi-scan-watch@.service template and
#                  kaappi-scan-watch.service (its folder from /etc/kaappi-scan.conf)
# Library dependencies come from dpkg-shlibdeps; kaappi and kaappi-scan also
# depend on this very version of kaappi-common. What each package holds is
# checked against tests/install/PACKAGE.files by scripts/package-test.sh.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/FORMAT.md
  DESTINATION share/doc/kaappi-common COMPONENT common)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kaappi)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Placeholders until the project has a public home: set them when packaging.
set(KAAPPI_MAINTAINER "kaappi maintainers <kaappi@example.org>" CACHE STRING "the packages' Maintainer")
set(KAAPPI_HOMEPAGE "https://example.org/kaappi" CACHE STRING "the packages' Homepage")
set(CPACK_PACKAGE_CONTACT "${KAAPPI_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "encrypted archive for signed consent forms and contracts")
# The units' ExecStart names CMAKE_INSTALL_PREFIX's programs (systemd/): the
# packages install there too (scripts/build-release.sh sets /usr).
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL common kaappi scan)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${KAAPPI_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_COMMON_PACKAGE_NAME kaappi-common)
set(CPACK_DEBIAN_COMMON_DESCRIPTION "kaappi's PDF helper, shared by kaappi and kaappi-scan
 kaappi-pdf-probe reads each PDF that kaappi import and kaappi-scan are
 given in a sandboxed process of its own (seccomp, resource limits), with
 Poppler. Both programs find it in /usr/lib/kaappi.")

set(CPACK_DEBIAN_KAAPPI_PACKAGE_NAME kaappi)
# The inspection report draws its text in DejaVu Sans (export/inspection_report_pdf.h), a font no library names.
set(CPACK_DEBIAN_KAAPPI_PACKAGE_DEPENDS "kaappi-common (= ${PROJECT_VERSION}), fonts-dejavu-core")
set(CPACK_DEBIAN_KAAPPI_DESCRIPTION "encrypted archive for signed consent forms and contracts
 kaappi stores scanned PDFs as encrypted blobs indexed in SQLite, linked to
 customer records and a consent ledger, readable only by the holder of the
 key file and its passphrase; kaappi verify finds any change to the archive
 with the public key alone. This package is for the key holder's machine:
 the kaappi program, its user units (the unlock agent's socket, a
 nightly verify timer and a nightly backup timer), man page and bash
 completion.")

set(CPACK_DEBIAN_SCAN_PACKAGE_NAME kaappi-scan)
set(CPACK_DEBIAN_SCAN_PACKAGE_DEPENDS "kaappi-common (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_SCAN_DESCRIPTION "scanning station for a kaappi archive
 kaappi-scan seals scanned PDFs with the archive's public key into envelopes
 that only the key holder's kaappi can open; it holds no code that opens
 sealed data. With a systemd template unit, kaappi-scan-watch@.service
 (or kaappi-scan-watch.service, its folder set in /etc/kaappi-scan.conf), it
 watches a scan-to-folder share.")

include(CPack)
