"""`formcheck serve`: the web app, with an embedded queue worker unless told otherwise."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from api.settings import get_settings


def serve(host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the service until interrupted (blocks). Settings come from FORMCHECK_* variables."""
    settings = get_settings()
    # Live frames over max_live_frame_kb are answered with an error message and the session goes
    # on; only a message over four times that (at least 16 MB) is cut off by the WebSocket layer.
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level,
                ws_max_size=max(16 * 1024 * 1024, settings.max_live_frame_kb * 1024 * 4))
