"""MkDocs hooks for the Korean edition: one search index per language, a language switcher that
leads straight to a page's twin, and one 404 page per language.

Search: mkdocs-static-i18n builds each language in turn into one site and merges their search
entries into one index at the site root, so an English reader searching "AdaDelta" is shown the
Korean chapter as readily as the English one. These hooks split that index by language: the default
language keeps search/search_index.json, each other language gets <lang>/search/search_index.json
(its locations relative to <lang>/), and the pages of a language point Material's search at their
own index through the "base" of their __config, which Material uses to find the index and to
resolve result links. (Material's other uses of "base", the version selector and instant loading,
are not enabled in this book.)

Switcher: mkdocs-static-i18n points each page's language switcher and its <link rel="alternate"
hreflang> tags at the page's twins. Material's script (integrations/alternate in its source) fetches
sitemap.xml beside every <link rel="alternate">, expecting language roots, and takes over every
click on a link under one of them: unless it finds the page in that sitemap, it sends the reader to
the alternate's URL without its trailing slash, which the server redirects. Beside the twins there
is no sitemap, so every page made two failed requests and every switch a redirect. Tags at the
language roots would have every page name a home page as its translation, and leave the switch to
Material's lookup, which compares URLs with those of site_url. The hooks drop the tags: the
switcher's links then work as plain links, and the sitemap.xml of mkdocs-static-i18n names every
page's twins, with hreflang, for search engines: absolute URLs from site_url, to which the hooks add
an x-default alternate, the default language's page, for readers of any other language. (Search
engines take hreflang from a sitemap as from the head; Lighthouse's hreflang audit checks only the
head, where there is then nothing to fail.)

Words of another language: the English pages name the Korean terms (the glossary has a column of
them). Each run of Hangul on a page of another language is marked lang="ko", so that a screen reader
reads it with a Korean voice rather than spelling it out or skipping it (WCAG 3.1.2), and the
stylesheet breaks it between words as on the Korean pages, not inside one. On a Korean page, a
particle is kept on the line of what it follows: a closing parenthesis (or %, or a closing quote),
inline code, a link, emphasis or an inline formula; on every page, so is a comma or a closing mark
after a formula.

404: MkDocs writes 404.html to the site root in each language's build, so the last language's
overwrote the others', with the switcher of whichever page was built before it. The hooks give each
404 page a switcher to the language homes and write the default language's to the root (the one
GitHub Pages serves), every other one to <lang>/404.html.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from bookbuild import pageload

CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base":\s*")([^"]*)(")')
ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
SWITCHER_LINK = re.compile(r'(<a href="[^"]*" hreflang="([^"]*)")( class="md-select__link")')
NOT_FOUND = "404.html"
# A run of Korean words, and what splits a page into tags and the text between them.
HANGUL = "[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"  # syllables, jamo, compatibility jamo
HANGUL_RUN = re.compile(f"{HANGUL}+(?:[ \u00a0]+{HANGUL}+)*")
TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# The title of a heading's ¶ link (Python-Markdown's toc extension, which has one for every page).
PERMALINK_TITLE = {"en": "Permanent link", "ko": "이 절로 가는 링크"}
# Material's words that a reader of a language sees or hears, as a native editor would have them,
# by Material's key (its partials/languages/<language>.html). In Korean, 네비게이션 is not the
# standard spelling (and the landmark is the main menu), "상단/헤더", "하단/푸터" and "언어설정" are
# glosses, not names, "맨위로" wants its space and "클립보드로 복사" the particle of "클립보드에
# 복사됨", and a count comes after what it counts. Material changes a language's words only through a
# "custom" language, which mkdocs-static-i18n, setting the theme's language to each locale, rules
# out: they are changed in each page, where the theme's templates write them (a whole attribute, an
# element's whole text) and in the __config that its script reads.
MATERIAL_WORDS = {
    "ko": {
        "nav": "주 메뉴",
        "header": "머리글",
        "footer": "바닥글",
        "select.language": "언어 선택",
        "top": "맨 위로",
        "clipboard.copy": "클립보드에 복사",
        "search.result.one": "일치하는 문서 1개",
        "search.result.other": "일치하는 문서 #개",
        "search.result.more.one": "이 문서에서 검색 결과 1개 더 보기",
        "search.result.more.other": "이 문서에서 검색 결과 #개 더 보기",
    },
}
# The first Hangul after a closing mark, "(Paul Werbos)는", "81.1%에", or after the end of inline code,
# a link or emphasis ("`train`으로", "[손실 함수](...)는"): a line may break before it even where
# Korean words are kept whole (book.css), which leaves the particle at the start of a line. It is
# wrapped in a `book-keep` span, before which the stylesheet joins it to what it follows with a word
# joiner (generated content, which neither search nor a screen reader reads, and which a line too
# long to fit still breaks at).
AFTER_CLOSING = re.compile(f"(?<=[)\\]%\u2019\u201d]){HANGUL}")
FIRST_HANGUL = re.compile(f"^{HANGUL}")
KEEP = r'<span class="book-keep">\g<0></span>'
KEPT_END = re.compile(r"</(?:code|a|em|strong)>")  # the elements a particle may follow
# An inline formula (bookbuild/mathml.py) and the text that follows it up to a space, a particle
# ("$n$개의") or a mark (", " ". " ")"), in either language: Chromium breaks after a formula, an
# atomic box, even before a comma or at a word joiner, which leaves a particle or a comma at the
# start of a line. The two are kept in a span that does not wrap (book-keep-formula), unless
# docs/javascripts/narrow.js finds them too wide for one line.
FORMULA_AND_FOLLOWING = re.compile(r'<span class="book-math"><math\b(?:(?!</math>).)*</math></span>[^\s<]+', re.S)
# Elements whose text is not prose in the page's language: code keeps its own, math has none.
NOT_PROSE = {"code", "pre", "script", "style", "math"}

_not_found_pages: dict[str, str] = {}  # each language's 404 page, until the last language is built


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


def all_built(config: MkDocsConfig) -> bool:
    """Whether the whole build is done: mkdocs-static-i18n builds each language in turn, each build
    ending with on_post_build, then ends the whole build with it once more."""
    i18n = _i18n(config)
    return i18n is None or not i18n.building


def built(config: MkDocsConfig) -> list[str]:
    """The languages the build makes pages in: the theme's alone without mkdocs-static-i18n."""
    i18n = _i18n(config)
    return list(i18n.build_languages) if i18n is not None else [config.theme.get("language", "en")]


def _in_own_language(output: str, config: MkDocsConfig, name: str) -> str:
    """A page without the alternates Material would fetch sitemaps for, searching its own language,
    with each language in the switcher marked as written in it."""
    i18n = _i18n(config)
    if i18n is None:
        return output
    output, found = ALTERNATE_LINK.subn("", output)
    # Each language's name is written in that language: "한국어" is to be read in Korean.
    output, switcher = SWITCHER_LINK.subn(r'\1 lang="\2"\3', output)
    if found != switcher:
        raise PluginError(
            f"bookbuild/languages.py: {found} alternate links in {name} for {switcher} languages; has Material changed?"
        )
    if i18n.current_language == i18n.default_language:
        return output
    output = _in_standard_words(output, config, i18n.current_language, name)
    # With its trailing slash, as Material resolves the index and result links against it.
    output, found = CONFIG_BASE.subn(
        lambda m: f"{m[1]}{m[2].rstrip('/')}/{i18n.current_language}/{m[3]}", output, count=1
    )
    if not found:
        raise PluginError(f"bookbuild/languages.py: no __config with a base in {name}; has Material changed?")
    return output


def _in_standard_words(output: str, config: MkDocsConfig, language: str, name: str) -> str:
    """The page with Material's words in `language` replaced by MATERIAL_WORDS', where Material wrote
    them: fails the build if it finds none of them, as a change of Material's templates would do."""
    words = MATERIAL_WORDS.get(language, {})
    if not words:
        return output
    material = config.theme.get_env().get_template(f"partials/languages/{language}.html").module
    found = 0
    for key, ours in words.items():
        shown = re.escape(html.escape(material.t(key)))
        output, attributes = re.subn(f'="{shown}"', f'="{html.escape(ours)}"', output)
        output, texts = re.subn(f">(\\s*){shown}(\\s*)<", f">\\g<1>{html.escape(ours)}\\g<2><", output)
        found += attributes + texts

    def in_script(script: re.Match) -> str:  # the __config's words are JSON strings (\u escapes)
        text = script[0]
        for key, ours in words.items():
            text = text.replace(json.dumps(material.t(key)), json.dumps(ours))
        return text

    output = pageload.MATERIAL_CONFIG.sub(in_script, output, count=1)
    if not found:
        raise PluginError(
            f"bookbuild/languages.py: none of Material's words {list(words)} in {name}; has Material changed?"
        )
    return output


@event_priority(-300)  # after bookbuild/notebooks.py (-200) has made the labs pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    i18n = _i18n(config)
    if i18n is not None:
        # mkdocs-static-i18n lists each language's pages for its sitemap.xml in its own on_files,
        # when the labs are not pages yet: list them again, labs included.
        i18n.i18n_files_per_language[i18n.current_language] = files.documentation_pages()
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    html = FORMULA_AND_FOLLOWING.sub(r'<span class="book-keep-formula">\g<0></span>', html)
    if config.theme["language"] == "ko":
        html = html.replace(f'title="{PERMALINK_TITLE["en"]}"', f'title="{PERMALINK_TITLE["ko"]}"')
        return _in_prose(html, _particles_kept)
    return _in_prose(html, lambda text, before: HANGUL_RUN.sub(r'<span lang="ko">\g<0></span>', text))


def _particles_kept(text: str, before: str) -> str:
    """The text with the first Hangul after a closing mark, or at its start after an element that
    a particle may follow, in a `book-keep` span (see AFTER_CLOSING)."""
    text = AFTER_CLOSING.sub(KEEP, text)
    if KEPT_END.fullmatch(before):
        text = FIRST_HANGUL.sub(KEEP, text)
    return text


def _in_prose(html: str, change: Callable[[str, str], str]) -> str:
    """The page's HTML with each text between its tags changed, but those of NOT_PROSE elements;
    `change` is also given the tag before the text."""
    parts = TAG_OR_TEXT.split(html)
    inside = []  # the NOT_PROSE elements open here
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?([a-zA-Z0-9]*)", part)[1].lower()
            if name in NOT_PROSE and not part.endswith("/>"):
                if part.startswith("</"):
                    inside.pop()
                else:
                    inside.append(name)
        elif not inside:
            parts[index] = change(part, parts[index - 1] if index else "")
    return "".join(parts)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return _in_own_language(output, config, page.file.src_uri)


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    i18n = _i18n(config)
    if template_name == NOT_FOUND and i18n is not None and i18n.extra_alternate:
        # The language homes, as mkdocs-static-i18n computed them from site_url. Before each page it
        # sets config.extra.alternate (an attribute, which templates read before the dict item) to
        # the page's twins, but a 404 page is no page: it would get the twins of the last page built.
        config.extra.alternate = deepcopy(i18n.extra_alternate)
    return context


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name != NOT_FOUND:
        return output
    output = _in_own_language(output, config, template_name)
    i18n = _i18n(config)
    if i18n is not None:
        _not_found_pages[i18n.current_language] = output
    return output


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every language and merged the index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if i18n is None or not all_built(config):
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
        path = (
            index_path
            if language == i18n.default_language
            else Path(config.site_dir) / language / "search" / "search_index.json"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")))
    _add_x_default(Path(config.site_dir), i18n.default_language)
    for language, output in _not_found_pages.items():
        path = Path(config.site_dir, "" if language == i18n.default_language else language, NOT_FOUND)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output)
    _not_found_pages.clear()


def _add_x_default(site: Path, default_language: str) -> None:
    """Beside each page's alternate in the default language in sitemap.xml (and sitemap.xml.gz,
    which MkDocs writes beside it), the same URL as hreflang="x-default"."""
    sitemap = site / "sitemap.xml"
    language = re.escape(default_language)
    alternate = re.compile(rf'( *)<xhtml:link rel="alternate" hreflang="{language}" href="([^"]*)"/>\n')
    text, found = alternate.subn(
        lambda m: f'{m[0]}{m[1]}<xhtml:link rel="alternate" hreflang="x-default" href="{m[2]}"/>\n', sitemap.read_text()
    )
    if not found:
        raise PluginError("bookbuild/languages.py: no alternate in sitemap.xml; has mkdocs-static-i18n changed?")
    sitemap.write_text(text)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode(), mtime=0))
