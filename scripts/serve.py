#!/usr/bin/env python3
"""Serves the explorer (www/) on localhost with the MIME types a wasm page needs.

    python3 scripts/serve.py [--port N] [--dir www] [--quiet]

The port comes from --port, else the PORT environment variable, else 8000. If it is taken,
the next free port is used (port 0 picks any free port). The first line printed is the URL.
Standard library only; binds to 127.0.0.1, so nothing outside this machine can connect.

Every response carries the page's Content-Security-Policy (no inline script, no eval, wasm
allowed, nothing from other origins; only embed.html may be framed by other sites). Paths
with a NUL byte are a 400, and directories without an index.html are a 404, not a listing.
"""

import argparse
import errno
import functools
import http.server
import os
import socketserver
import sys
import urllib.parse

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


# The policy the page's <meta> also states (www/index.html), plus what only a header can say:
# who may frame the page. Styles may be inline because ECharts writes its tooltips as HTML
# with style attributes; scripts may not, and 'wasm-unsafe-eval' lets the model compile
# without allowing eval.
POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'none'"
)
# Pages meant to sit in other sites' iframes (the embed); every other page frames only itself.
FRAMEABLE = {"/embed.html"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    quiet = False

    def end_headers(self):
        # Always fresh: a rebuilt wasm package must never meet a stale page.
        self.send_header("Cache-Control", "no-store")
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        ancestors = "*" if path in FRAMEABLE else "'self'"
        self.send_header("Content-Security-Policy", f"{POLICY}; frame-ancestors {ancestors}")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def send_head(self):
        # os.stat raises on a NUL byte, which would drop the connection with a traceback.
        if "\0" in urllib.parse.unquote(self.path):
            self.send_error(400, "Bad request: NUL byte in the path")
            return None
        return super().send_head()

    def list_directory(self, path):
        # A directory without index.html is not a page: no listing of pkg/, vendor/ and the rest.
        self.send_error(404, "Not found")
        return None

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
