"""A built site served on 127.0.0.1 at a free port, in a background thread, while in use.

Lighthouse (bench/lighthouse.py: gzip, as a static host serves it) and the browser tests
(tests/browser/support.py: under the site's base path, 404.html for what is missing) serve a
site the same way and differ only in their request handler. bench never imports tests; the
tests may import bench.
"""

from __future__ import annotations

import contextlib
import http.server
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs (navigation, aborted loads).
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(handler: Callable[..., socketserver.BaseRequestHandler], name: str) -> Iterator[str]:
    """`http://127.0.0.1:<port>` (no trailing slash) of a server answering with `handler`."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
