"""Serve a folder on 127.0.0.1 with gzip, as a static host such as GitHub Pages does.

    python benchmarks/serve_gzip.py FOLDER PORT

Lighthouse's mobile preset simulates a slow network from the bytes and
connections it sees, so measuring against an uncompressed server, or one that
closes the connection after each file, would charge the site for bytes and
round trips no reader of a real host pays.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    # Keep connections open, as any real static host does; HTTP/1.0 would charge
    # every asset a new connection in Lighthouse's network simulation.
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if self.path.endswith("/") or not path.rsplit("/", 1)[-1].count("."):
            path = path.rstrip("/") + "/index.html"
        content_type = self.guess_type(path)
        if "gzip" in self.headers.get("Accept-Encoding", "") and content_type.startswith(COMPRESSIBLE):
            try:
                with open(path, "rb") as stream:
                    body = gzip.compress(stream.read(), mtime=0)
            except OSError:
                return super().do_GET()
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def main(folder: str, port: str) -> None:
    handler = functools.partial(GzipHandler, directory=folder)
    http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), handler).serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
