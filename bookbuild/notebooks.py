"""MkDocs hooks for the labs: notebooks written as jupytext percent-format .py files in docs/,
executed and rendered by the mkdocs-jupyter plugin. On top of the plugin, for each lab page:

- its cache is keyed on the data files and library versions too, not only on the notebook's text
  (the plugin's own key), and lives beside the book's execution cache; BOOK_EXEC=off renders the
  lab without running it;
- every figure gets the alt text of its cell (``# %% alt="…"``, one per figure separated by ``|``),
  and a figure without one stops the build, naming the file and the line of the cell;
- the loaders that nbconvert's template puts on the page for MathJax and mermaid, which would
  fetch them from a CDN, are removed: the book loads nothing from other hosts (labs write no
  formulas and draw no diagrams);
- the random cell ids that jupytext gives a .py notebook are replaced by numbers, on the page and
  in the download, so that two builds give the same files;
- under its title, links to download it as a notebook (.ipynb, written here with jupytext), as a
  script (.py, copied by the plugin's include_source) and the data files it reads (the plugin's
  data_files).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import jupytext
from bs4 import BeautifulSoup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from bookbuild.data import DataError
from bookbuild.execute import LIBRARIES, cache_dir, executing, fingerprint

PLUGIN = "mkdocs-jupyter"
# Rendering depends on these as well as on what the code computes.
NOTEBOOK_LIBRARIES = (*LIBRARIES, "mkdocs-jupyter", "nbconvert", "jupytext", "ipykernel")
MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _plugin_config(config: MkDocsConfig):
    try:
        return config.plugins[PLUGIN].config
    except KeyError:
        raise PluginError(f"bookbuild/notebooks.py needs the {PLUGIN} plugin in mkdocs.yml") from None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    try:
        key = hashlib.sha256(fingerprint(root, NOTEBOOK_LIBRARIES).encode()).hexdigest()[:16]
    except DataError as error:
        raise PluginError(str(error)) from None
    plugin = _plugin_config(config)
    plugin["cache_dir"] = str(cache_dir(root) / "notebooks" / key)
    plugin["execute"] = plugin["execute"] and executing()
    # The kernel inherits this process's environment, and it shows figures through Jupyter's
    # inline backend only if MPLBACKEND names no other (headless test runs set it to Agg).
    os.environ.pop("MPLBACKEND", None)
    return config


def _is_notebook(page: Page) -> bool:
    return hasattr(page, "nb_url")  # set by mkdocs-jupyter on the pages it renders


def on_page_content(html: str, page: Page, config: MkDocsConfig, **_) -> str:
    if not _is_notebook(page):
        return html
    soup = BeautifulSoup(MATHJAX.sub("", html), "html.parser")
    for script in soup.find_all("script", string=re.compile("mermaid")):
        script.decompose()
    for number, cell in enumerate(soup.select('[id^="cell-id="]'), 1):
        cell["id"] = f"cell-id={number}"
    if _plugin_config(config)["execute"]:
        _describe_figures(soup, Path(page.file.abs_src_path))
    _add_downloads(soup, page, _plugin_config(config)["data_files"].get(page.file.src_path, []))
    return str(soup)


def _describe_figures(soup: BeautifulSoup, source: Path) -> None:
    """Give each output image the alt text of its cell; fail where the counts differ."""
    lines = source.read_text().split("\n")
    headers = [number for number, line in enumerate(lines, 1) if line.startswith("# %%")]
    cells = jupytext.read(source).cells
    code_cells = [(cell, line) for cell, line in zip(cells, headers) if cell.cell_type == "code"]
    # nbconvert wraps each cell's div in a second one of the same class: take the outer ones.
    rendered = [div for div in soup.select("div.jp-CodeCell") if div.find_parent("div", class_="jp-CodeCell") is None]
    if len(rendered) != len(code_cells):
        raise PluginError(f"{source}: {len(code_cells)} code cells, but the page shows {len(rendered)}")
    for (cell, line), html_cell in zip(code_cells, rendered):
        images = html_cell.select(".jp-OutputArea img")
        alt = cell.metadata.get("alt")
        texts = [text.strip() for text in alt.split("|")] if alt else []
        if len(images) != len(texts):
            raise PluginError(
                f"{source}, line {line}: the cell shows {len(images)} figure(s) but gives {len(texts)} alt "
                "text(s); write alt=\"…\" on its '# %%' line, one description per figure separated by '|'"
            )
        for image, text in zip(images, texts):
            image["alt"] = text


def _add_downloads(soup: BeautifulSoup, page: Page, data_files: list[str]) -> None:
    """Links, under the title, to the notebook, the script and the data it reads."""
    name = Path(page.file.src_path).stem
    links = [(f"{name}.ipynb", "Notebook (.ipynb)"), (f"{name}.py", "Script (.py)")]
    links += [(path, Path(path).name) for path in data_files]
    downloads = soup.new_tag("p", attrs={"class": "book-downloads"})
    downloads.append("Download: ")
    for number, (href, text) in enumerate(links):
        link = soup.new_tag("a", href=href, download="", attrs={"class": "md-button"})
        link.string = text
        downloads.append(link)
        if number < len(links) - 1:
            downloads.append(" ")
    title = soup.find("h1")
    if title is None:
        raise PluginError(f"{page.file.abs_src_path}: a lab must start with a '# Title' markdown cell")
    title.insert_after(downloads)


def on_post_page(output: str, page: Page, config: MkDocsConfig, **_) -> str:
    """Write the lab as a notebook beside its page, without outputs, for learners to run."""
    if _is_notebook(page):
        notebook = jupytext.read(page.file.abs_src_path)
        notebook.metadata["kernelspec"] = KERNEL
        for number, cell in enumerate(notebook.cells, 1):
            cell.id = str(number)
        target = Path(page.file.abs_dest_path).parent / f"{Path(page.file.src_path).stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target)
    return output
