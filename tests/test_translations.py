"""The Korean edition: every page has a Korean twin (docs/<page>.ko.md, docs/lab-<name>.ko.py) that
shares its code, math and figures, is written in Korean, and is linked to its English twin."""

import json
import re
import unicodedata
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import jupytext
import pytest
from bs4 import NavigableString
from conftest import DOCS, ROOT, SITE_BASE, SNIPPETS, figure_file, parsed

from bookbuild import languages, pageload, translations
from bookbuild.translations import (
    COMMENT,
    FIGURE,
    LOCALE,
    FigureTranslator,
    TranslationError,
    comments,
    entries,
    needs_translation,
    same_code,
    translate_comments,
    width,
)

LANGUAGE = "ko"
ENGLISH = sorted(path for path in [*DOCS.glob("*.md"), *DOCS.glob("lab-*.py")] if ".ko." not in path.name)
KOREAN = sorted(DOCS.glob(f"*.{LANGUAGE}.*"))
EXEC_FENCE = re.compile(r'^ *```python exec="on"(?P<options>[^\n]*)$', re.M)
INCLUDE = re.compile(r'^ *--8<-- "([^"]+)"$', re.M)
DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$", re.S)
PAGE_LINK = re.compile(r"\]\(([^)\s]+\.(?:md|py)(?:#[^)\s]*)?)\)")


def twin(page):
    return page.with_name(page.name.replace(".", f".{LANGUAGE}.", 1))


def built(site, page, language=""):
    stem = page.name.split(".")[0]
    folder = site / language if language else site
    return parsed(folder / ("index.html" if stem == "index" else f"{stem}/index.html"))


def test_every_page_has_a_korean_twin_and_every_korean_page_an_english_one():
    assert ENGLISH and {twin(page) for page in ENGLISH} == set(KOREAN)


def described(alt: str) -> int:
    """How many figures an alt text describes: one text per figure, separated by |; none if empty."""
    return len(alt.split("|")) if alt else 0


def alt_counts(text: str) -> list[int]:
    return [
        described(alt[1] if (alt := re.search(r'alt="([^"]*)"', m["options"])) else "")
        for m in EXEC_FENCE.finditer(text)
    ]


@pytest.mark.parametrize("page", [page for page in ENGLISH if page.suffix == ".md"], ids=lambda page: page.name)
def test_twins_run_the_same_snippet_sections_in_the_same_order_and_share_math_and_links(page):
    english, korean = page.read_text(), twin(page).read_text()
    assert INCLUDE.findall(korean) == INCLUDE.findall(english)
    assert alt_counts(korean) == alt_counts(english), "one alt text per figure in both languages"
    assert [m.strip() for m in DISPLAY_MATH.findall(korean)] == [m.strip() for m in DISPLAY_MATH.findall(english)]
    assert sorted(PAGE_LINK.findall(korean)) == sorted(PAGE_LINK.findall(english)), "the same links to other pages"


@pytest.mark.parametrize("page", [page for page in ENGLISH if page.suffix == ".py"], ids=lambda page: page.name)
def test_lab_twins_have_the_same_code_cells(page):
    """The same code: only comments, and string literals written in Korean, may differ."""
    english, korean = jupytext.read(page).cells, jupytext.read(twin(page)).cells
    assert [cell.cell_type for cell in korean] == [cell.cell_type for cell in english]
    for ours, theirs in zip(english, korean):
        if ours.cell_type == "code":
            assert same_code(ours.source, theirs.source), f"{twin(page).name}: a code cell differs:\n{theirs.source}"
    korean_alts, english_alts = (
        [described(cell.metadata.get("alt", "")) for cell in cells] for cells in (korean, english)
    )
    assert korean_alts == english_alts, "one alt text per figure in both languages"


@pytest.mark.parametrize(
    ("original", "translation", "same"),
    [
        ("x = 1  # one", "x = 1  # 하나", True),
        ("# two lines\n# of comment\nx = 1", "# 한 줄\nx = 1", True),
        ('raise ValueError(f"{x} is bad")', 'raise ValueError(f"{x}은 잘못되었다")', True),
        ('raise ValueError("bad")', 'raise ValueError("worse")', False),
        ("x = 1", "x = 2", False),
        ("x = 1", "x = 1\ny = 2", False),
        ('label = "loss"', 'label = "손실"\n', True),
        ('print(f"{loss:.3f} loss")', 'print(f"{loss:.3f} 손실")', True),
        ('print(f"{loss:.3f} loss")', 'print(f"{loss:.4f} 손실")', False),  # it would print another value
        ('print(f"{loss} loss")', 'print(f"{loss!r} 손실")', False),
    ],
)
def test_translated_code_may_differ_only_in_comments_and_korean_strings(original, translation, same):
    assert same_code(original, translation) is same


@pytest.mark.parametrize("path", sorted(SNIPPETS.rglob("*.py")), ids=lambda path: str(path.relative_to(SNIPPETS)))
def test_every_comment_of_a_snippet_has_a_korean_translation_within_79_columns(path):
    """A Korean page shows the snippet with these comments; a Hangul syllable takes two columns."""
    shown, missing = translate_comments(path.read_text(), entries(ROOT, LANGUAGE, COMMENT))
    assert not missing, f"untranslated in {LOCALE}/{LANGUAGE}/{path.parent.name}.po: {[c.text for c in missing]}"
    assert not [line for line in shown.split("\n") if width(line) > 79]


def test_the_catalogues_translate_no_comment_that_the_snippets_do_not_have():
    written = {comment.text for path in SNIPPETS.rglob("*.py") for comment in comments(path.read_text())}
    assert not set(entries(ROOT, LANGUAGE, COMMENT)) - written


def test_comments_are_shown_translated_as_the_code_writes_them():
    code = 'x = 1  # one\n# a comment\n# in two lines\ndef f():\n    """Do it;\n    now."""\n'
    catalogue = {"one": "하나", "a comment\nin two lines": "두 줄짜리 주석", "Do it;\nnow.": "한다.\n지금."}
    shown, missing = translate_comments(code, catalogue)
    assert not missing
    assert shown == 'x = 1  # 하나\n# 두 줄짜리 주석\ndef f():\n    """한다.\n    지금."""\n'
    # Two sections in one block: their comments are apart in the file, so they stay two.
    assert [c.text for c in comments("# end of one\n# start of two\n", [3, 7])] == ["end of one", "start of two"]
    with pytest.raises(TranslationError, match="one line"):
        translate_comments(code, {**catalogue, "one": "하나\n둘"})
    # A docstring keeps its quotes, and a comment after them stays whole, even after non-ASCII text.
    code = "def f():\n    r'Do it → now.'  # note\n"
    shown, _ = translate_comments(code, {"Do it → now.": "한다.", "note": "메모"})
    assert shown == "def f():\n    r'한다.'  # 메모\n"
    shown, _ = translate_comments(code, {"Do it → now.": "한다.\n지금.", "note": "메모"})
    assert shown == "def f():\n    r'''한다.\n    지금.'''  # 메모\n"


def test_a_figure_entry_and_its_translation_have_the_same_placeholders_outside_math():
    translate = FigureTranslator({"lr {} at {}": "{1}에서 lr {0}", "$x^{2}$ loss": "$x^{2}$ 손실"})
    assert translate("lr 0.1 at 30") == "30에서 lr 0.1"
    assert translate("$x^{2}$ loss") == "$x^{2}$ 손실"  # TeX's braces are not placeholders
    assert translate("lr 0.1 at start") == "lr 0.1 at start" and translate.missing == {"lr 0.1 at start"}
    for wrong in ["{}에서 lr", "{0}에서 {0}", "{1}와 {2}"]:
        with pytest.raises(TranslationError, match="lr {} at {}"):
            FigureTranslator({"lr {} at {}": wrong})


def test_an_entry_marked_fuzzy_is_not_used(tmp_path):
    (tmp_path / LOCALE / LANGUAGE).mkdir(parents=True)
    (tmp_path / LOCALE / LANGUAGE / "x.po").write_text(
        'msgctxt "figure"\nmsgid "loss"\nmsgstr "손실"\n\n#, fuzzy\nmsgctxt "figure"\nmsgid "step"\nmsgstr "스텝?"\n'
    )
    assert entries(tmp_path, LANGUAGE, FIGURE) == {"loss": "손실"}
    # ...and the update tool asks for what only a fuzzy entry covers, keeping the fuzzy mark.
    catalogue = tmp_path / LOCALE / LANGUAGE / "x.po"
    catalogue.write_text('#, fuzzy\nmsgctxt "figure"\nmsgid "step {}"\nmsgstr "스텝 {}"\n')
    assert translations._update(catalogue, {}, {"step 3": ("x.py", None)}) == (1, 0)
    updated = catalogue.read_text()
    assert 'msgid "step 3"' in updated and "#, fuzzy" in updated


def hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(unicodedata.name(c, "").startswith("HANGUL") for c in letters) / len(letters)


@pytest.mark.parametrize("page", ENGLISH, ids=lambda page: page.name)
def test_korean_pages_are_written_in_korean(site, page):
    """Measured on the prose a reader sees: the built page without its code and output."""
    article = built(site, page, LANGUAGE).select_one("article")
    unseen = article.select("pre, code, .jp-CodeCell, [hidden]")  # [hidden]: the names only the search reads
    code = {id(text) for block in unseen for text in block.find_all(string=True)}
    prose = [text for text in article.find_all(string=True) if type(text) is NavigableString and id(text) not in code]
    assert hangul_share("".join(prose)) > 0.5  # NavigableString exactly: no script, style or comment


@pytest.mark.parametrize("page", ENGLISH, ids=lambda page: page.name)
def test_the_korean_words_of_an_english_page_are_marked_korean(site, page):
    """So that a screen reader reads them in Korean (WCAG 3.1.2), and they break between words."""
    article = built(site, page).select_one("article")
    unmarked = [
        str(text).strip()
        for text in article.find_all(string=has_hangul)
        if type(text) is NavigableString
        and not text.find_parent(["code", "pre", "math"])
        and text.find_parent(lang=True).get("lang") != LANGUAGE
    ]
    assert not unmarked


# The interface's English words that the build gives in Korean on a Korean page (bookbuild/languages.py,
# bookbuild/notebooks.py, mkdocs.yml's palette): a heading's link, a lab's copy buttons, the theme toggle.
ENGLISH_INTERFACE = ["Permanent link", "Copy to Clipboard", "Copied!", "Switch to dark mode", "Switch to light mode"]


@pytest.mark.parametrize("page", ENGLISH, ids=lambda page: page.name)
def test_a_korean_page_speaks_korean_and_keeps_a_particle_with_what_it_follows(site, page):
    """No English interface words, and Material's own in standard Korean; and a particle after a
    closing parenthesis, a percent sign or a closing quote, "(Paul Werbos)는", or after inline code,
    a link, emphasis or a formula, on the line of what it follows (a `book-keep` span, or a
    `book-keep-formula` span around both)."""
    soup = built(site, page, LANGUAGE)
    assert not [words for words in ENGLISH_INTERFACE if words in str(soup)]
    # Material's words as a native editor has them (languages.MATERIAL_WORDS), where the page shows
    # them and where Material's script reads them.
    ours = languages.MATERIAL_WORDS[LANGUAGE]
    labels = {element["aria-label"] for element in soup.select("[aria-label]")}
    assert {ours[key] for key in ("nav", "header", "footer", "select.language")} <= labels
    assert soup.select_one(".md-top").get_text(strip=True) == ours["top"]
    read = pageload.material_words(str(soup))
    searched = ["clipboard.copy", "search.result.one", "search.result.other", "search.result.more.other"]
    assert [read[key] for key in searched] == [ours[key] for key in searched]
    article = soup.select_one("article")
    prose = [
        text
        for text in article.find_all(string=True)
        if type(text) is NavigableString and not text.find_parent(["code", "pre", "math", "script"])
    ]
    after_mark = [str(text) for text in prose if re.search(r"[)\]%\u2019\u201d][\uac00-\ud7a3]", text)]
    assert not after_mark
    after_element = [
        f"{text.previous_sibling}{text}"
        for text in prose
        if re.match(r"[\uac00-\ud7a3]", text)
        and text.previous_sibling is not None
        and text.previous_sibling.name in ("code", "a", "em", "strong", "span")
        and (text.previous_sibling.name != "span" or "book-math" in text.previous_sibling.get("class", []))
        and "book-keep-formula" not in text.parent.get("class", [])
    ]
    assert not after_element


@pytest.mark.parametrize("language", ["", LANGUAGE])
def test_no_comma_or_particle_can_start_a_line_after_a_formula(site, language):
    """What follows an inline formula without a space (a comma, a closing mark, a particle) is kept
    with it on every page of both languages (bookbuild/languages.py: book-keep-formula)."""
    loose = [
        f"{page.name}: {formula.get_text()[:30]}{formula.next_sibling[:10]}"
        for page in ENGLISH
        for formula in built(site, page, language).select("article span.book-math")
        if isinstance(formula.next_sibling, NavigableString)
        and formula.next_sibling[:1].strip()
        and "book-keep-formula" not in formula.parent.get("class", [])
    ]
    assert not loose


def korean_page_content(html: str) -> str:
    """What bookbuild/languages.py makes of a Korean page's HTML."""
    return languages.on_page_content(html, None, SimpleNamespace(theme={"language": LANGUAGE}), None)


def text_of(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


FORMULA = '<span class="book-math"><math display="inline"><mi>n</mi></math></span>'


def kept(particle: str) -> str:
    return f'<span class="book-keep">{particle}</span>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>(Paul Werbos)는 썼다</p>", f"<p>(Paul Werbos){kept('는')} 썼다</p>"),
        ("<p>정확도 81.1%에 닿는다</p>", f"<p>정확도 81.1%{kept('에')} 닿는다</p>"),
        ("<p><code>train</code>으로 바꾼다</p>", f"<p><code>train</code>{kept('으')}로 바꾼다</p>"),
        ('<p><a href="x/">손실 함수</a>는</p>', f'<p><a href="x/">손실 함수</a>{kept("는")}</p>'),
        (
            "<p><em>k</em>번, <b>1</b>, <strong>합</strong>의</p>",
            f"<p><em>k</em>{kept('번')}, <b>1</b>, <strong>합</strong>{kept('의')}</p>",
        ),
        ('<p><a href="x/"><code>step()</code></a>을</p>', f'<p><a href="x/"><code>step()</code></a>{kept("을")}</p>'),
        (
            f"<p>{FORMULA}개와 {FORMULA} 개</p>",
            f'<p><span class="book-keep-formula">{FORMULA}개와</span> {FORMULA} 개</p>',
        ),
        (f"<p>{FORMULA}, 곧 {FORMULA}).</p>", f'<p><span class="book-keep-formula">{FORMULA},</span> 곧 '
         f'<span class="book-keep-formula">{FORMULA}).</span></p>'),
    ],
    ids=["parenthesis", "percent", "code", "link", "emphasis", "code in a link", "formula", "formula and marks"],
)
def test_on_a_korean_page_a_particle_is_kept_with_what_it_follows_and_the_text_is_unchanged(html, expected):
    """The particle after a closing mark, inline code, a link, emphasis or a formula; the text, what
    search and a screen reader read, is the same."""
    assert korean_page_content(html) == expected
    assert text_of(expected) == text_of(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p><code>train</code> 으로</p>",  # a space: a line may break there
        "<p><code>f(x)가</code></p>",  # inside code
        '<pre><code><span class="n">x</span>가</code></pre>',
        "<p><span>x</span>가</p>",  # a span that is not a formula
        f"<p>{FORMULA} 가</p>",
    ],
)
def test_on_a_korean_page_nothing_else_is_kept(html):
    assert korean_page_content(html) == html


def test_on_an_english_page_a_comma_or_a_closing_mark_is_kept_with_the_formula_it_follows():
    english = SimpleNamespace(theme={"language": "en"})
    html = f"<p>so {FORMULA}, that is ({FORMULA}). And {FORMULA} is</p>"
    assert languages.on_page_content(html, None, english, None) == (
        f'<p>so <span class="book-keep-formula">{FORMULA},</span> that is '
        f'(<span class="book-keep-formula">{FORMULA}).</span> And {FORMULA} is</p>'
    )


def drawn_texts(site, image) -> list[str]:
    """The texts of an SVG figure on a page: matplotlib writes each beside its paths as a comment."""
    return re.findall(r"<!-- (.*?) -->", figure_file(site, image).read_text(), re.S)


def has_hangul(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith("HANGUL") for c in text)


@pytest.mark.parametrize("page", [page for page in ENGLISH if page.suffix == ".md"], ids=lambda page: page.name)
def test_the_figures_of_a_korean_page_are_in_korean_and_drawn_with_a_korean_font(site, page):
    """Every text with words is a line of a translation in the catalogues (a name kept as it is is
    translated into itself); the English figures have no Hangul."""
    translated = {line for text in entries(ROOT, LANGUAGE, FIGURE).values() for line in text.split("\n")}
    english, korean = (built(site, page, language).select("figure.book-figure img") for language in ("", LANGUAGE))
    assert len(english) == len(korean)
    for ours, theirs in zip(english, korean):
        assert not any(has_hangul(text) for text in drawn_texts(site, ours))
        words = [text for text in drawn_texts(site, theirs) if needs_translation(text)]
        assert not [text for text in words if not has_hangul(text) and text not in translated], theirs["alt"]
        if any(has_hangul(text) for text in words):
            assert 'id="NanumGothic-' in figure_file(site, theirs).read_text()
    if english:
        assert [ours["src"] for ours in english] != [theirs["src"] for theirs in korean]


@pytest.mark.parametrize("page", [page for page in ENGLISH if page.suffix == ".py"], ids=lambda page: page.name)
def test_a_korean_lab_shows_its_own_figures(site, page):
    english, korean = (built(site, page, language).select(".jp-OutputArea img") for language in ("", LANGUAGE))
    assert english and len(english) == len(korean)
    assert all(ours["src"] != theirs["src"] for ours, theirs in zip(english, korean))


@pytest.mark.parametrize("page", [page for page in ENGLISH if page.suffix == ".md"], ids=lambda page: page.name)
def test_twins_have_the_same_headings_with_the_same_ids(site, page):
    """So that every link to a section works in both languages, and the twins have one structure."""

    def headings(soup):
        return [(h.name, h.get("id")) for h in soup.select_one("article").find_all(re.compile(r"^h[1-6]$"))]

    assert headings(built(site, page, LANGUAGE)) == headings(built(site, page))


SITE_URL = re.search(r"^site_url: (\S+)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]


@pytest.mark.parametrize("page", ENGLISH, ids=lambda page: page.name)
def test_each_page_names_its_twin_as_an_alternate_and_in_the_language_switcher(site, page):
    """In the language switcher of both twins, and for search engines as hreflang alternates in
    sitemap.xml, absolute, with the English page as x-default; not as <link rel="alternate"> in the
    head, beside which Material's script would fetch a sitemap.xml that is not there
    (bookbuild/languages.py)."""
    stem = page.name.split(".")[0]
    path = "" if stem == "index" else f"{stem}/"
    expected = {"en": f"{SITE_BASE}{path}", LANGUAGE: f"{SITE_BASE}{LANGUAGE}/{path}"}
    namespaces = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
    sitemap = {
        urlsplit(entry.findtext("sitemap:loc", namespaces=namespaces)).path: {
            link.get("hreflang"): urlsplit(link.get("href")).path
            for link in entry.findall("xhtml:link[@rel='alternate']", namespaces)
            if link.get("href").startswith(SITE_URL)
        }
        for entry in ElementTree.parse(site / "sitemap.xml").getroot().findall("sitemap:url", namespaces)
    }
    for language, url in expected.items():
        soup = built(site, page, "" if language == "en" else language)
        assert soup.html["lang"] == language
        assert not soup.select('head link[rel="alternate"]')
        switcher = {link["hreflang"]: urljoin(url, link["href"]) for link in soup.select("a.md-select__link[hreflang]")}
        assert switcher == expected
        # Each language's name in its own language, marked so: "한국어" read in Korean.
        assert all(link.get("lang") == link["hreflang"] for link in soup.select("a.md-select__link"))
        assert sitemap[url] == {**expected, "x-default": expected["en"]}


def test_each_language_searches_its_own_pages(site):
    """bookbuild/languages.py splits mkdocs-static-i18n's merged index: one per language."""
    english = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    korean = json.loads((site / LANGUAGE / "search" / "search_index.json").read_text())["docs"]
    for docs, folder in [(english, site), (korean, site / LANGUAGE)]:
        pages = {entry["location"].split("#")[0] for entry in docs}
        assert all((folder / page / "index.html").is_file() for page in pages), pages
    assert not any(entry["location"].startswith(f"{LANGUAGE}/") for entry in english)
    assert hangul_share(" ".join(entry["title"] for entry in korean)) > 0.5
    assert hangul_share(" ".join(entry["title"] for entry in english)) < 0.05


# The deck's terms that issue 8 names; the glossary must teach each (it has many more).
DECK_TERMS = [
    "순전파",
    "역전파",
    "오류역전파 알고리즘",
    "가중치",
    "절편",
    "활성화함수",
    "잔차",
    "오차",
    "목적함수",
    "비용함수",
    "손실함수",
    "경사하강법",
    "학습률",
    "에포크",
    "배치크기",
    "이터레이션",
]


def glossary_rows(page) -> dict[str, tuple[str, str]]:
    """Korean term -> (English term, link target), from the glossary's table in either language."""
    rows = {}
    for line in page.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        link = re.search(r"\]\(([^)]+)\)", cells[-1]) if len(cells) in (4, 5) else None
        if link:
            korean, english = (cells[1], cells[0]) if page.name == "glossary.md" else (cells[0], cells[1])
            rows[korean] = (english, link[1])
    return rows


def test_the_glossary_gives_every_deck_term_its_english_name_and_the_section_that_teaches_it():
    english, korean = glossary_rows(DOCS / "glossary.md"), glossary_rows(DOCS / f"glossary.{LANGUAGE}.md")
    assert english == korean, "both languages list the same terms, English names and links"
    assert set(DECK_TERMS) <= set(korean), set(DECK_TERMS) - set(korean)
    assert all(target.split("#")[0].endswith((".md", ".py")) for _, target in korean.values())


# The names a Korean learner meets for the book's terms in other books and in PyTorch's Korean
# documentation: term -> (the other name, as the glossary lists it; the words that mention it).
OTHER_NAMES = {
    "기울기": ("변화도", "변화도"),
    "에포크": ("에폭", "에폭"),
    "파라미터": ("매개변수", "매개변수"),
    "절편": ("편향", "편향이라고도"),
    "가능도": ("우도", "우도"),
    "피쳐": ("피처", "피처"),
    "타겟": ("타깃", "타깃"),
    "라벨": ("레이블", "레이블"),
    "이터레이션": ("반복", "iteration, 반복"),
    "옵티마이저": ("최적화 알고리즘", "최적화 알고리즘"),
}
READING_ORDER = [
    "tensors",
    "forward-propagation",
    "backpropagation",
    "autograd",
    "loss-functions",
    "gradient-descent",
    "optimizers",
    "training-step",
    "training-workflow",
    "classification",
    "beyond-the-first-loop",
]


def paragraphs(page) -> list[str]:
    """The prose of a Markdown page, paragraph by paragraph, without its code."""
    return re.split(r"\n\s*\n", re.sub(r"```.*?```", "", page.read_text(), flags=re.S))


@pytest.mark.parametrize(("term", "other"), OTHER_NAMES.items())
def test_each_other_name_is_in_the_glossary_and_mentioned_once_where_the_chapters_first_use_the_term(term, other):
    """Once in the book, beside the term, in the first chapter that uses it, in reading order."""
    name, mention = other
    rows = (DOCS / f"glossary.{LANGUAGE}.md").read_text().splitlines()
    assert name in next(row for row in rows if row.startswith(f"| {term} |")).split("|")[3]
    prose = [(chapter, text) for chapter in READING_ORDER for text in paragraphs(DOCS / f"{chapter}.{LANGUAGE}.md")]
    mentions = [(chapter, text) for chapter, text in prose if mention in text]
    assert len(mentions) == 1, [chapter for chapter, _ in mentions]
    chapter, text = mentions[0]
    assert term in text
    assert chapter == next(chapter for chapter, text in prose if term in text)


GLOSSARY_ANCHOR = re.compile(r'^<span id="([a-z0-9-]+)"></span>(\S.*)$')


def anchor_of(term: str) -> str:
    """A glossary term's anchor, which the chapters link to: its English name in lower case, a part
    in parentheses left out, every other character a hyphen ("bias (intercept)" -> "bias")."""
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\s*\(.*?\)", "", term).lower()).strip("-")


@pytest.mark.parametrize("page", [DOCS / "glossary.md", DOCS / f"glossary.{LANGUAGE}.md"], ids=lambda page: page.name)
def test_every_glossary_term_carries_the_anchor_made_from_its_english_name(page):
    anchors = []
    for english, _ in glossary_rows(page).values():
        match = GLOSSARY_ANCHOR.match(english)
        assert match and match[1] == anchor_of(match[2]), english
        anchors.append(match[1])
    assert len(set(anchors)) == len(anchors), "two terms with one anchor"
