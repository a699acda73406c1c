#!/usr/bin/env bash
# Installs what the SMTP and keyring tests need, only when it is missing, so repeated runs are fast:
# the Python SMTP server (aiosmtpd), the `openssl` command for test certificates, and
# gnome-keyring with dbus for a real Secret Service.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi

missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v dbus-daemon >/dev/null 2>&1 || missing+=(dbus-daemon)
command -v dbus-send >/dev/null 2>&1 || missing+=(dbus-bin)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
"$here/../../scripts/ensure-packages.sh" "${missing[@]}" || {
    echo "missing system packages: ${missing[*]}; install them with your package manager" >&2
    exit 1
}
