"""MkDocs hooks for the build as a whole.

- Before each page, the executed blocks (bookbuild/execute.py) learn the page's language, for the
  words around their code and the language of its comments and figures, and the languages built,
  in each of which they save their figures.
- When a build is done, the process that ran the last page's code (bookbuild/execute.py) ends.
- `mkdocs serve` reloads mkdocs.yml for every rebuild, but Python keeps the modules it has imported
  and MkDocs the hook files it has loaded; so after each build both are forgotten, and the next
  rebuild (which mkdocs.yml's `watch:` starts when bookbuild/ changes) runs them as they are on
  disk. Their code is part of every cache key, so what they produced before is not reused; and
  since the hooks and the code fences then share one copy of each module, what a hook tells
  bookbuild/execute.py (the page's language, the languages built) reaches the fences, whose cache
  keys depend on it.
"""

from __future__ import annotations

import atexit
import sys

from mkdocs.config import config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from bookbuild import execute, languages


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    execute.page_language = config.theme["language"]
    execute.languages = languages.built(config)
    return markdown


@event_priority(-300)  # after mkdocs-static-i18n (-100) has built every language, and after the other hooks
def on_post_build(config: MkDocsConfig) -> None:
    if not languages.all_built(config):
        return
    _done()


def on_build_error(error: Exception) -> None:
    _done()


def _done() -> None:
    execute.close()
    # Its exit handler would keep the forgotten copy alive, and with it every module it imported
    # and their caches: mkdocs serve would grow by a copy at every rebuild. The next copy registers
    # its own.
    atexit.unregister(execute.close)
    for name in [name for name in sys.modules if name == "bookbuild" or name.startswith("bookbuild.")]:
        del sys.modules[name]
    # MkDocs 1.6 loads each hook file once per process (an lru_cache); a hook kept from the first
    # build would run its old code and set the language on an old copy of bookbuild.execute, so
    # that every rebuild in `mkdocs serve` ran the whole book and showed its Korean pages in English.
    config_options.Hooks._load_hook.cache_clear()
