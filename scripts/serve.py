#!/usr/bin/env python3
"""Serves the explorer (www/) on localhost with the MIME types a wasm page needs.

    python3 scripts/serve.py [--port N] [--dir www] [--quiet]

The port comes from --port, else the PORT environment variable, else 8000. If it is taken,
the next free port is used (port 0 picks any free port). The first line printed is the URL.
Standard library only; binds to 127.0.0.1, so nothing outside this machine can connect.
"""

import argparse
import errno
import functools
import http.server
import os
import socketserver
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".css": "text/css",
    ".html": "text/html",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ts": "text/plain",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    quiet = False

    def end_headers(self):
        # Always fresh: a rebuilt wasm package must never meet a stale page.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def bind(port, handler):
    """Binds `port`, or the next free one (up to 50 tries); port 0 lets the OS choose."""
    for candidate in ([0] if port == 0 else range(port, port + 50)):
        try:
            return Server(("127.0.0.1", candidate), handler)
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                raise
            print(f"serve: port {candidate} is busy, trying the next one", file=sys.stderr)
    sys.exit(f"serve: no free port from {port} to {port + 49}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--dir", default=os.path.join(ROOT, "www"))
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args()

    Handler.quiet = args.quiet
    handler = functools.partial(Handler, directory=args.dir)
    server = bind(args.port, handler)
    port = server.server_address[1]
    print(f"http://127.0.0.1:{port}/", flush=True)
    print(f"serve: serving {os.path.relpath(args.dir)} at http://localhost:{port}/ (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
