#!/usr/bin/env bash
# scripts/setup.sh - install every Debian 12 package freemapi needs to build,
# test and benchmark. Idempotent and non-interactive: when everything is
# already installed it only checks and returns. Runs apt-get as root (through
# sudo when started by another user).
set -euo pipefail

PACKAGES=(
  build-essential   # gcc, make, libc headers
  g++               # the headers are checked to compile as C++
  cmake             # the build (3.25 on Debian 12)
  pkg-config        # finds libraries; tests the installed freemapi.pc
  python3           # tools/ generators and their drift check; tests: email package
  libcmocka-dev     # unit tests
  libunistring-dev  # Unicode case folding and normalization
  libpcre2-dev      # RELOP_RE regular expressions (8- and 16-bit)
  libsqlite3-dev    # message stores
  libgmime-3.0-dev  # MIME import and export (pulls GLib)
  libuchardet-dev   # MIME import: the charset of undeclared 8-bit text
  libical-dev       # MIME: text/calendar meeting requests read and written (iMIP)
  libsodium-dev     # Argon2id password hashes in the site directory
  libmspack-dev     # tests: an independent OAB decompressor to check ours
  libemail-outlook-message-perl # tests: msgconvert reads the .msg files we write
  libemail-address-perl # msgconvert needs it (a Recommends of the package above)
  python3-olefile   # tests: Python's olefile reads our compound files
  libytnef0-dev     # tests: an independent compressed RTF decoder to check ours
  unrtf             # tests: an independent RTF reader for the RTF freemapi writes
  clang             # the libFuzzer harnesses (fuzz/); clang++ for the C++ interface tests
  libclang-rt-14-dev # libFuzzer's runtime for clang 14
  valgrind          # leak checks of the test binaries
  binutils          # nm, for the exported-symbol check
  time              # /usr/bin/time: peak RSS in bench/bench_mapi_tool.sh
  pst-utils         # tests and bench: readpst, an independent PST reader
  pff-tools         # tests: pffexport (libpff), an independent PST reader
  openssl           # tests: S/MIME signatures made and verified (tests/mime)
  gnupg             # tests: PGP/MIME signatures made and verified (tests/mime)
  ytnef-tools       # tests: an independent TNEF reader (ytnef) to check ours
  tnef              # tests: a second independent TNEF reader
  libmicrohttpd-dev # freemapid: HTTP/1.1 and TLS (GnuTLS) for MAPI over HTTP
  libcurl4-openssl-dev # libfreemapi-relay: the SMTP client; tests/server: the HTTP client
  xdg-utils         # Simple MAPI's MAPI_DIALOG: xdg-email hands mail to the desktop's composer
  postfix           # tests/server: a private MTA delivering into freemapid over LMTP
  swaks             # tests/server: an independent SMTP and LMTP client
  dovecot-lmtpd     # bench: Dovecot's LMTP into Maildir, the reference of bench_lmtp.sh
  python3-aiosmtpd  # tests/relay: the SMTP server at the far end of the relay
)

# tests: npm installs pst-extractor, the third PST reader, into the build
# tree (tests/pst/npm_install.sh); Debian's nodejs and npm unless a Node.js
# with npm is already there.
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Postfix asks for a configuration while installing: none (the tests run
# their own instance from a private configuration directory).
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
