"""The page's static file server.

Cross-origin isolated, so that SharedArrayBuffer and wasm threads are allowed: every
response carries
    Cross-Origin-Opener-Policy: same-origin
    Cross-Origin-Embedder-Policy: require-corp
(any static host serving the page needs the same two headers for its threads), unless
`--plain` is given.

Compressed: where the build left FILE.br or FILE.gz beside FILE (scripts/compress.mjs) and
the request accepts that encoding, the smaller one is sent with Content-Encoding, as nginx's
brotli_static/gzip_static or a CDN would.
Usage: python3 scripts/isolated_server.py PORT [DIRECTORY] [--plain]"""
import functools
import http.server
import os
import sys

ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


class Handler(http.server.SimpleHTTPRequestHandler):
    isolated = True

    def send_head(self):
        path = self.translate_path(self.path)
        accepted = {
            e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")
        }
        if os.path.isfile(path):
            for name, suffix in ENCODINGS:
                if name in accepted and os.path.isfile(path + suffix):
                    return self.send_encoded(path, path + suffix, name)
        return super().send_head()

    def send_encoded(self, path, encoded, name):
        f = open(encoded, "rb")
        try:
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", name)
            self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return f
        except BaseException:
            f.close()
            raise

    def end_headers(self):
        if self.isolated:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        # The file names carry no hash (Trunk.toml): a browser asks again each time, and a
        # 304 answers for what did not change.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--plain"]
    port = int(args[0])
    directory = args[1] if len(args) > 1 else "."
    Handler.isolated = "--plain" not in sys.argv
    handler = functools.partial(Handler, directory=directory)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
