"""A small HTTP server for the tests of `letterpress check --online`.

Listens on a free loopback port, prints the port on its first line of standard output, and
counts the requests to every path. It stops by itself after a few minutes, or when its
standard input closes (the test that started it has ended).

  /ok            200
  /missing       404
  /error         500
  /moved         301 to /ok
  /no-head       405 to HEAD, 200 to GET
  /slow          sleeps SLOW seconds (first argument), then 200
  /limited       429
  /count         the number of requests to each path so far, as JSON (not counted itself)
  anything else  200
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
LIFETIME = 300.0

counts = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def answer(self, body):
        path = self.path.split("?", 1)[0]
        if path == "/count":
            with lock:
                payload = json.dumps(counts).encode()
            return self.send(200, payload, "application/json")
        with lock:
            counts[path] = counts.get(path, 0) + 1
        if path == "/missing":
            return self.send(404, b"missing\n" if body else None)
        if path == "/error":
            return self.send(500, b"error\n" if body else None)
        if path == "/moved":
            return self.send(301, None, location="/ok")
        if path == "/no-head" and not body:
            return self.send(405, None)
        if path == "/limited":
            return self.send(429, None)
        if path == "/slow":
            time.sleep(SLOW)
        return self.send(200, b"fine\n" if body else None)

    def send(self, status, payload, kind="text/plain", location=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload or b"")))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            if payload:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        self.answer(True)

    def do_HEAD(self):
        self.answer(False)


class Server(ThreadingHTTPServer):
    # The default backlog of 5 drops connections when the checker opens several at once.
    request_queue_size = 128
    daemon_threads = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Stop when the test closes standard input, or after LIFETIME seconds at most.
    stopper = threading.Thread(target=sys.stdin.read, daemon=True)
    stopper.start()
    stopper.join(LIFETIME)
    server.shutdown()


if __name__ == "__main__":
    main()
