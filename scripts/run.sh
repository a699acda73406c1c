#!/usr/bin/env bash
# Starts the Letterpress desktop app on the bundled example project (`templates/`), installing and
# building what it needs first. Test messages go to the built-in local outbox unless an SMTP
# profile is chosen in the app. Pass another project folder as the first argument.
set -euo pipefail
exec "$(dirname "$0")/run-app.sh" "$@"
