#!/bin/sh
# Starts the installed Letterpress app. Without a GPU render node, WebKitGTK's DMA-BUF renderer
# falls back to a slow path (a large email took about 450 ms to paint instead of 70 ms), so its
# older renderer is chosen there, as scripts/run-app.sh does for a development build.
if [ -z "${WEBKIT_DISABLE_DMABUF_RENDERER+set}" ] && ! ls /dev/dri/renderD* >/dev/null 2>&1; then
  WEBKIT_DISABLE_DMABUF_RENDERER=1
  export WEBKIT_DISABLE_DMABUF_RENDERER
fi
# The app sits next to this script, installed or unpacked anywhere.
exec "$(dirname "$0")/letterpress-app" "$@"
