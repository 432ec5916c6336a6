"""Site-wide checks over whatever a build produced: every page, every lesson, every chart.

Each check is a plain function that returns a list of problems (empty when all is well), so
the tests of the real site and the test that adds a lesson from the template run the same
checks. Nothing here names a page of this course: pages, lessons and snippets are found in
the built site and in the project's Markdown.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import yaml

from html_text import code_blocks, references, text_of

LOCAL_SITE_URL = "http://127.0.0.1:8000/"  # site_url of a local build

# A fence line of a block that declares a snippet's output: ```text expected-output="snippets/x.py"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_EXPECTED_INFO = re.compile(r'\bexpected-output="(?P<snippet>[^"]+)"')
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


# --- Finding things in a project and its build ---------------------------------------------


@dataclass
class ExpectedOutput:
    """One ```text expected-output="..." block of a Markdown file."""

    markdown: Path
    line: int  # 1-based line of the opening fence, as the build reports it
    snippet: str  # as written on the fence, relative to the project
    declared: list[str]  # the block's lines, indentation removed


def expected_outputs(markdown: Path) -> list[ExpectedOutput]:
    """Every expected-output block of a Markdown file, in order (not those shown inside another fence)."""
    lines = markdown.read_text(encoding="utf-8").splitlines()
    found = []
    number = 0
    while number < len(lines):
        opening = _FENCE.match(lines[number])
        number += 1
        if not opening:
            continue
        indent, fence, line = opening["indent"], opening["fence"], number  # number is now 1-based
        body = []
        while number < len(lines) and not _closes(lines[number], fence):
            body.append(lines[number][len(indent):] if lines[number].startswith(indent) else lines[number].lstrip())
            number += 1
        number += 1  # the closing fence
        declared = _EXPECTED_INFO.search(opening["info"])
        if declared and opening["info"].startswith("text"):
            found.append(ExpectedOutput(markdown, line, declared["snippet"], body))
    return found


def _closes(line: str, fence: str) -> bool:
    """Whether a line closes a fence opened with these characters (as long, or longer)."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def printed_by(project: Path, snippet: str) -> list[str]:
    """What `python SNIPPET` prints, run from the project folder as the build runs it."""
    done = subprocess.run([sys.executable, snippet], cwd=project, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def front_matter(markdown: Path) -> dict:
    match = _FRONT_MATTER.match(markdown.read_text(encoding="utf-8"))
    return yaml.safe_load(match.group(1)) if match else {}


def page_path(project: Path, markdown: Path) -> str:
    """The built page's folder for a Markdown file under docs/ ("" for docs/index.md)."""
    relative = markdown.relative_to(project / "docs").with_suffix("")
    parts = relative.parts[:-1] if relative.name == "index" else relative.parts
    return "".join(f"{part}/" for part in parts)


def built_markdown(project: Path, site: Path) -> list[Path]:
    """Every Markdown file under docs/ that the build made a page of."""
    return [
        markdown for markdown in sorted((project / "docs").rglob("*.md"))
        if (site / page_path(project, markdown) / "index.html").is_file()
    ]


def lesson_markdown(project: Path, site: Path) -> list[Path]:
    """Every published lesson (a page under docs/lessons/)."""
    return [markdown for markdown in built_markdown(project, site) if markdown.parent == project / "docs" / "lessons"]


def html_pages(site: Path) -> list[Path]:
    """Every HTML file of the build, the 404 page included."""
    return sorted(site.rglob("*.html"))


def content_pages(site: Path) -> list[Path]:
    """Every page a reader navigates to: each index.html, without the search's own folder."""
    return [page for page in sorted(site.rglob("index.html")) if page.parent.name != "search"]


def read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


# --- Links, descriptions, sitemap ------------------------------------------------------------


def _page_url(site: Path, page: Path, site_url: str) -> str:
    relative = page.relative_to(site).as_posix()
    return site_url + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def _target_file(site: Path, url: str, site_url: str) -> Path | None:
    if not url.startswith(site_url):
        return None
    path = site / unquote(urlsplit(url).path[len(urlsplit(site_url).path) :])
    return path / "index.html" if url.split("#")[0].endswith("/") or path.is_dir() else path


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', read(page)))


def broken_links(site: Path, site_url: str = LOCAL_SITE_URL) -> list[str]:
    """Every internal link whose file, or whose #anchor in that file, does not exist."""
    broken = []
    for page in html_pages(site):
        # The 404 page is served at any path; MkDocs writes its links from the site root.
        base = site_url if page.name == "404.html" else _page_url(site, page, site_url)
        for _, _, url in references(read(page)):
            if url.startswith(("mailto:", "javascript:", "data:")):
                continue
            absolute = urljoin(base, url)
            target = _target_file(site, absolute, site_url)
            if target is None:
                continue
            fragment = urlsplit(absolute).fragment
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {url} (no {target.relative_to(site)})")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in _ids(target):
                broken.append(f"{page.relative_to(site)}: {url} (no id {fragment!r})")
    return broken


def pages_without_description(site: Path) -> list[str]:
    """Every page whose <meta name="description"> is missing or empty."""
    return [
        str(page.relative_to(site)) for page in content_pages(site)
        if not re.search(r'<meta name="description" content="[^"]*\S[^"]*"', read(page))
    ]


def pages_with_a_doubled_title(site: Path) -> list[str]:
    """Every page whose browser title is missing or says one name twice ("Home - Home")."""
    problems = []
    for page in html_pages(site):
        title = re.search(r"<title>(.*?)</title>", read(page), re.DOTALL)
        parts = [part.strip() for part in title[1].split(" - ")] if title else []
        if not parts or len(parts) != len(set(parts)):
            problems.append(f"{page.relative_to(site)}: {title[0] if title else 'no <title>'}")
    return problems


def pages_missing_from_sitemap(site: Path, site_url: str = LOCAL_SITE_URL) -> list[str]:
    """Every page the sitemap does not list (it lists each page by its address)."""
    listed = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    return [
        _page_url(site, page, site_url) for page in content_pages(site)
        if _page_url(site, page, site_url) not in listed
    ]


# --- Nothing from another host ----------------------------------------------------------------


def _external(url: str, site_host: str) -> bool:
    parts = urlsplit(url.strip())
    if url.strip().startswith("//"):
        return True
    return parts.scheme in {"http", "https"} and parts.netloc != site_host


def external_references(site: Path, site_host: str = urlsplit(LOCAL_SITE_URL).netloc) -> list[str]:
    """Every tag that would load (or, outside a page's prose, link to) something on another host."""
    offenders = []
    for page in html_pages(site):
        html = read(page)
        # Links in a lesson's prose may lead elsewhere; nothing else may point away.
        outside_prose = re.sub(r"<article\b.*?</article>", "", html, flags=re.DOTALL)
        for tag, attribute, url in references(html):
            if _external(url, site_host) and (tag != "a" or url in outside_prose):
                offenders.append(f"{page.relative_to(site)}: <{tag} {attribute}={url}>")
    return offenders


def external_style_urls(site: Path, site_host: str = urlsplit(LOCAL_SITE_URL).netloc) -> list[str]:
    """Every url(...) or @import in a stylesheet or page that points at another host."""
    offenders = []
    for asset in [*sorted(site.rglob("*.css")), *html_pages(site)]:
        text = read(asset)
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            if _external(url, site_host):
                offenders.append(f"{asset.relative_to(site)}: {url}")
    return offenders


# --- The code on the pages ---------------------------------------------------------------------


def outputs_not_shown(project: Path, site: Path) -> list[str]:
    """Every expected-output block whose page does not show exactly what its snippet prints."""
    problems = []
    for markdown in built_markdown(project, site):
        blocks = expected_outputs(markdown)
        if not blocks:
            continue
        shown = code_blocks(read(site / page_path(project, markdown) / "index.html"))
        for block in blocks:
            title = f"Output of python {block.snippet}"
            outputs = [code.splitlines() for name, code in shown if name == title]
            printed = printed_by(project, block.snippet)
            if not outputs or any(output != printed for output in outputs):
                problems.append(f"{markdown.relative_to(project)}:{block.line}: the page does not show {title!r} as printed")
    return problems


def included_sources_differ(project: Path, site: Path) -> list[str]:
    """Every code block titled with a project file whose text is not that file's text."""
    problems = []
    for page in content_pages(site):
        for title, code in code_blocks(read(page)):
            source = project / title
            if title and source.is_file() and code.strip() != source.read_text(encoding="utf-8").strip():
                problems.append(f"{page.relative_to(site)}: the block titled {title} is not the file's text")
    return problems


# --- Lessons on the module home ------------------------------------------------------------------


def lessons_missing_from_home(project: Path, site: Path) -> list[str]:
    """Every lesson the home page does not link by its title, followed by its description."""
    home = read(site / "index.html")
    problems = []
    for markdown in lesson_markdown(project, site):
        meta = front_matter(markdown)
        link = re.search(
            rf'<a href="({re.escape(page_path(project, markdown))})">(.*?)</a>\s*</strong>:?\s*(.*?)</li>', home, re.DOTALL
        )
        if not link:
            problems.append(f"{markdown.relative_to(project)}: not linked from the home page")
        elif text_of(link.group(2)).strip() != str(meta.get("title", "")).strip():
            problems.append(f"{markdown.relative_to(project)}: linked as {text_of(link.group(2))!r}, not its title")
        elif " ".join(text_of(link.group(3)).split()) != " ".join(str(meta.get("description", "")).split()):
            problems.append(f"{markdown.relative_to(project)}: the home page's summary is not its description")
    return problems


# --- Charts ---------------------------------------------------------------------------------------


def charts(site: Path) -> list[tuple[str, str]]:
    """(page, SVG) of every inline SVG inside a <figure> of a page's content."""
    found = []
    for page in content_pages(site):
        for figure in re.findall(r"<figure\b.*?</figure>", read(page), flags=re.DOTALL):
            for svg in re.findall(r"<svg\b.*?</svg>", figure, flags=re.DOTALL):
                found.append((str(page.relative_to(site)), svg))
    return found


def chart_problems(site: Path) -> list[str]:
    """Charts without role="img", a <title> and a <desc>, or not well-formed (the build warns of a <style> or a date)."""
    problems = []
    for page, svg in charts(site):
        opening = re.match(r"<svg\b[^>]*>", svg).group(0)
        title = re.search(r"<title\b[^>]*>([^<]*\S[^<]*)</title>", svg)
        where = f"{page}: chart {title.group(1).strip()!r}" if title else f"{page}: a chart"
        if 'role="img"' not in opening:
            problems.append(f"{where} has no role=\"img\"")
        if not title or not re.search(r"<desc\b[^>]*>[^<]*\S[^<]*</desc>", svg):
            problems.append(f"{where} has no <title> and <desc>")
        try:
            ElementTree.fromstring(svg)  # a browser draws broken SVG partly, or not at all, without a word
        except ElementTree.ParseError as error:
            problems.append(f"{where} is not well-formed SVG: {error}")
    return problems


def repeated_ids(site: Path) -> list[str]:
    """Every id given to two elements of one page: links and labels naming it reach only the first."""
    problems = []
    for page in html_pages(site):
        counts = Counter(re.findall(r'\sid="([^"]+)"', read(page)))
        problems += [f"{page.relative_to(site)}: id {name!r} is on {count} elements" for name, count in counts.items() if count > 1]
    return problems


# --- Reproducible builds ---------------------------------------------------------------------------


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differing_files(first: Path, second: Path) -> list[str]:
    """Every file that only one build has, or whose bytes differ between the two."""
    one, two = files_of(first), files_of(second)
    return sorted(set(one) ^ set(two)) + [name for name in sorted(set(one) & set(two)) if one[name] != two[name]]


# Every site-wide check that needs one local build of a project, by what it finds; each takes
# (project, site). Reproducibility needs two builds: see differing_files.
SITE_WIDE_CHECKS: dict[str, Callable[[Path, Path], list[str]]] = {
    "broken links or anchors": lambda project, site: broken_links(site),
    "pages without a description": lambda project, site: pages_without_description(site),
    "pages whose title says a name twice": lambda project, site: pages_with_a_doubled_title(site),
    "pages missing from the sitemap": lambda project, site: pages_missing_from_sitemap(site),
    "references to another host": lambda project, site: external_references(site),
    "stylesheet URLs on another host": lambda project, site: external_style_urls(site),
    "expected outputs not shown as printed": outputs_not_shown,
    "included sources not shown as written": included_sources_differ,
    "lessons missing from the home page": lessons_missing_from_home,
    "charts without role, title and description": lambda project, site: chart_problems(site),
    "ids used twice on a page": lambda project, site: repeated_ids(site),
}
