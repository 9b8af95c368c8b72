"""MkDocs hooks for the Korean edition: one search index per language.

mkdocs-static-i18n builds each language in turn into one site and merges their search entries
into one index at the site root, so an English reader searching "AdaDelta" is shown the Korean
chapter as readily as the English one. These hooks split that index by language: the default
language keeps search/search_index.json, each other language gets <lang>/search/search_index.json
(its locations relative to <lang>/), and the pages of a language point Material's search at their
own index through the "base" of their __config, which Material uses to find the index and to
resolve result links. (Material's other uses of "base", the version selector and instant loading,
are not enabled in this book.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base":\s*")([^"]*)(")')


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


@event_priority(-300)  # after bookbuild/notebooks.py (-200) has made the labs pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    i18n = _i18n(config)
    if i18n is not None:
        # mkdocs-static-i18n lists each language's pages for its sitemap.xml in its own on_files,
        # when the labs are not pages yet: list them again, labs included.
        i18n.i18n_files_per_language[i18n.current_language] = files.documentation_pages()
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    i18n = _i18n(config)
    if i18n is None or i18n.current_language == i18n.default_language:
        return output
    # With its trailing slash, as Material resolves the index and result links against it.
    output, found = CONFIG_BASE.subn(lambda m: f"{m[1]}{m[2]}/{i18n.current_language}/{m[3]}", output, count=1)
    if not found:
        raise PluginError(f"bookbuild/languages.py: no __config with a base in {page.file.src_uri}; has Material changed?")
    return output


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language and merged the index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if i18n is None or i18n.building:  # a language build inside mkdocs-static-i18n's loop
        return
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    index = json.loads(index_path.read_text())
    others = [language.locale for language in i18n.config.languages if language.build and not language.default]
    entries = {language: [] for language in [i18n.default_language, *others]}
    for entry in index["docs"]:
        language = next((name for name in others if entry["location"].startswith(f"{name}/")), i18n.default_language)
        if language != i18n.default_language:
            entry = {**entry, "location": entry["location"][len(language) + 1 :]}
        entries[language].append(entry)
    for language, docs in entries.items():
        path = index_path if language == i18n.default_language else Path(config.site_dir) / language / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")))
