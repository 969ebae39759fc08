"""Development server: rebuild on every change under content/, theme/ and
plugins/, and serve the output folder on localhost.

Pelican's own ``-r`` does not watch plugins/, and a plugin change needs a
fresh interpreter anyway, so each rebuild runs ``pelican`` as a new process.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading

from watchfiles import watch


def build(args) -> None:
    command = [sys.executable, "-m", "pelican", args.input, "-o", args.output, "-s", args.settings]
    status = subprocess.call(command)
    print(f"devserver: build {'ok' if status == 0 else 'FAILED'}; http://localhost:{args.port}/", flush=True)


def serve(args) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=args.output)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", default="content")
    parser.add_argument("--output", default="output")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    build(args)
    serve(args)
    for _changes in watch(args.input, "theme", "plugins", args.settings):
        build(args)


if __name__ == "__main__":
    main()
