"""storyline: a sourced record of what happened, from news articles of many outlets.

For notebooks::

    import storyline
    result = storyline.analyze(["examples/articles/"], db="storyline.db")
    with storyline.Store("storyline.db", readonly=True) as store:
        for article in store.articles():
            print(article.id, article.outlet, article.published, article.title)
"""

from importlib import import_module
from typing import Any

__version__ = "0.1.0"
_API = {
    "analyze": "storyline.pipeline",
    "RunResult": "storyline.pipeline",
    "Settings": "storyline.settings",
    "Store": "storyline.store",
    "Article": "storyline.model",
    "IngestError": "storyline.model",
    "RawRecord": "storyline.model",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    """Import on first use, so `import storyline.model` stays light."""
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
