"""Hook: warn when a link or an image on a page points at nothing the site publishes.

MkDocs checks the links written in Markdown (``[text](page.md)``) and warns of
those that reach no page, but not two kinds that give the reader a page that
is not there, with the build exiting 0:

- HTML written in the page: ``<a href="../other/">``, ``<img src="img/x.png">``;
- a link to a page excluded from the site (``_template.md``, files named in
  ``exclude_docs``), which MkDocs notes at INFO only and still turns into an
  address that the published site does not have;
- a reference link whose reference is never defined (``[text][name]`` with no
  ``[name]: address`` line): Python-Markdown shows it as typed, brackets and all.

Each ``href`` and ``src`` of the rendered page that names a path in the site
(not another site, not ``mailto:``, not ``data:``, not a bare ``#anchor``) is
resolved against the page's address and looked up among the files the site
publishes (pages, their assets, the theme's, the sitemap and search index).
A target written in Markdown that MkDocs could not find (``[x](gone.md)``,
``![x](img/x.png)``) is left to MkDocs, which has reported it; a ``.md`` link
written in HTML is not (MkDocs publishes HTML as written: the reader gets the
Markdown file's name, which the site does not publish). Anchors are MkDocs'.
The warning names the Markdown file and, when the link is written on one line
of it, that line, so ``mkdocs build --strict`` fails and ``mkdocs serve`` keeps
serving.
"""

from __future__ import annotations

import logging
import posixpath
import re
from html import unescape
from urllib.parse import unquote, urlsplit

from markdown_fences import page_source, read_front_matter, split_lines

log = logging.getLogger("mkdocs.hooks.page_links")

_REFERENCE = re.compile(r"""<(?P<tag>a|img|source|link|script|iframe)\b[^>]*?\s(?P<attribute>href|src)=(?P<quote>["'])(?P<url>.*?)(?P=quote)""", re.IGNORECASE)
_MARKDOWN_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")  # [text](target) and ![alt](target), as written
_TAG = re.compile(r"<[^>]+>")
# [text][name] left as typed; not after a word character (a[1][2] is an index, not a link).
_UNDEFINED_REFERENCE = re.compile(r"(?P<before>\w)?\[[^\[\]\n]+\]\[[^\[\]\n]*\]")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL | re.IGNORECASE)  # what code blocks show is text


# Written by MkDocs and its search plugin after the pages, so not among the files a page is built with.
GENERATED = frozenset({"sitemap.xml", "sitemap.xml.gz", "404.html", "search/search_index.json"})


def published(files) -> set[str]:
    """The paths (relative to the site's root) of every file the site publishes."""
    return {file.dest_uri for file in files if not file.inclusion.is_excluded()} | GENERATED


def in_site(url: str) -> str | None:
    """The path part of a URL that names a file of this site; None for another site, an anchor, mail, data."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith("//"):
        return None
    return unquote(parts.path)


def resolves(path: str, page_dest: str, site_files: set[str]) -> bool:
    """Whether a path written on the page at ``page_dest`` reaches a published file (a folder: its index.html)."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_dest), path)).lstrip("/")
    if path.startswith("/") or target.startswith("../") or target == "..":
        return True  # an absolute path or one above the site: MkDocs' absolute_links setting, not ours
    target = "" if target == "." else target
    return target in site_files or posixpath.join(target, "index.html") in site_files


def dead_references(html: str, page_dest: str, site_files: set[str]) -> list[tuple[str, str]]:
    """(tag, url as written) for each link or image of the page's HTML that reaches no published file."""
    dead = []
    for found in _REFERENCE.finditer(_CODE.sub("", html)):
        url = unescape(found["url"])
        path = in_site(url)
        if path is None or resolves(path, page_dest, site_files):
            continue
        dead.append((found["tag"].lower(), url))
    return dead


def undefined_references(html: str, markdown: str) -> list[str]:
    """Each ``[text][name]`` (or ``[text][]``) the rendered page shows as typed, outside code, that the
    Markdown writes as such (escaped brackets, ``\\[text\\]\\[name\\]``, ask for the brackets)."""
    text = _TAG.sub(" ", _CODE.sub("", html))
    shown = [found[0] for found in _UNDEFINED_REFERENCE.finditer(unescape(text)) if not found["before"]]
    return [written for written in shown if written in markdown]


def written_line(markdown: str, url: str) -> int | None:
    """The 1-based line of the Markdown that writes this URL, when exactly one line does; for an address
    MkDocs made of a Markdown link (``../_draft/`` of ``_draft.md``), the one line that names that file."""
    lines = split_lines(markdown)
    found = [number for number, line in enumerate(lines, start=1) if url in line]
    if not found:
        name = posixpath.basename(posixpath.normpath(urlsplit(url).path or "."))
        found = [number for number, line in enumerate(lines, start=1) if name not in ("", ".") and f"{name}.md" in line]
    return found[0] if len(found) == 1 else None


def on_page_content(html, page, config, files):
    if page.file.abs_src_path is None:  # a page a plugin made: no Markdown file to point at
        return html
    dead = dead_references(html, page.file.dest_uri, published(files))
    text = page.file.content_string if dead or "][" in html else ""  # the file, read once and only if needed
    undefined = undefined_references(html, text) if "][" in html else []
    if not dead and not undefined:
        return html
    markdown, _, offset = read_front_matter(text)
    source = page_source(page, config)

    def where(written: str) -> str:  # the file, and the line when one line of it writes this
        line = written_line(markdown, written)
        return f"{source}:{line + offset}" if line else source

    for written in dict.fromkeys(undefined):
        log.warning(
            f"{where(written)}: the reference link '{written}' names a reference the page never defines, so it is shown "
            "as typed, brackets and all; add a line '[name]: address' to the page, or write the link inline: "
            "[text](address)"
        )
    checked = set(_MARKDOWN_TARGET.findall(markdown))  # MkDocs has reported those it could not find
    for tag, url in dict.fromkeys(dead):
        if url in checked:
            continue
        what = "image" if tag == "img" else "link" if tag == "a" else f"<{tag}>"
        if in_site(url).endswith(".md"):  # written in HTML: MkDocs turns only Markdown links into addresses
            log.warning(
                f"{where(url)}: the {what} '{url}' is written in HTML, which MkDocs publishes as it is, so it names "
                "a Markdown file the site does not publish; write it in Markdown, [text](page.md), which MkDocs "
                "turns into the page's address and checks"
            )
            continue
        log.warning(
            f"{where(url)}: the {what} '{url}' reaches nothing the site publishes (a page excluded from the site, "
            "or no such file), so a reader gets 'page not found'; point it at a published page or file "
            "(a link to another page is best written in Markdown: [text](page.md), which MkDocs checks)"
        )
    return html
