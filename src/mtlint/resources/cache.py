"""Where mtlint keeps its caches: MTLINT_CACHE_DIR, else the user's cache directory."""
from __future__ import annotations

import os


def default_cache_dir() -> str:
    env = os.environ.get("MTLINT_CACHE_DIR")
    if env:
        return env
    import platformdirs

    return platformdirs.user_cache_dir("mtlint")
