"""How a markdown-exec block runs: under its limits, watched for what it must not do.

Not a hook: ``code_execution`` wraps every fence markdown-exec registers with
``BlockRunner.wrap`` (the fences are plain entries of pymdownx.superfences'
documented ``custom_fences`` setting; the wrapper calls markdown-exec's own
formatter, never its internals). markdown-exec stays the only thing that runs a
block and writes its HTML, in this process, in page order, every build: the page
is what markdown-exec alone makes of it. What the wrapper adds:

- **Limits** (``block_limits``): a time limit (``extra.code_execution.timeout``,
  or ``timeout="SECONDS"`` on the fence line, which markdown-exec passes through
  unused) and standard input at end-of-file, for every block of every language.
- **A guard:** a block that changes, creates or deletes files under ``docs/`` or
  the snippets folder is reported with its page and line (write under a
  temporary folder instead). Imports made while a block runs write no
  ``__pycache__`` into the project (under ``mkdocs serve`` that would start
  another build). The hooks' helper modules' plain names are freed from
  ``sys.modules`` (``release_helper_names``), so a project module of the same name
  is the one a block imports.
- **Checks:** a chart block (Python, ``html="on"``) that prints nothing, whose
  SVG carries a ``<style>`` (it would style the whole page) or a date (builds
  would differ), or whose HTML leaves an element or a comment open or closes
  one it never opened (``printed_html``: the rest of the page would change), or
  that gives an element an id an earlier chart block of the page gave (the same
  chart printed twice: links and labels would reach the first), is reported
  with its page and line; so is any block that leaves the build in another working
  directory (``os.chdir``: later blocks would run there). Reports only: the
  HTML is markdown-exec's, and the directory is left as the block left it.
- **Exit:** a block that raises ``SystemExit`` (``sys.exit()``, ``exit()``,
  argparse) would end the whole build without a word (markdown-exec catches
  ``Exception`` only); it is reported at its line instead and its place on the
  page says so, like a block stopped at its time limit.

No block's result is cached: markdown-exec runs every block in the build's own
process, where a block sees what earlier blocks left there (a module's attributes,
a registered colormap, a library's options), and no record of a block's inputs
can prove that a skipped block would have left that state as its run did. Only
snippets, each run in a process of its own, are cached (``snippet_runner``).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from markupsafe import Markup, escape

from block_limits import TimeLimitExceeded, limits
from file_access import inside, recording
from markdown_fences import fences, positive_seconds
from printed_html import element_ids, unbalanced

log = logging.getLogger("mkdocs.hooks.code_blocks")
PYTHON_LANGUAGES = frozenset({"python", "py"})
WRAPPED = "code_execution_wrapped"  # set on a wrapped formatter, so a fence is wrapped once


def is_chart_block(language: str, options: dict) -> bool:
    """A block that draws: Python printing raw HTML, in a session or not. (One that shows its source is
    never empty, so only its SVG is checked.)"""
    return language in PYTHON_LANGUAGES and bool(options.get("html"))


# "page.md:LINE" of the block markdown-exec runs now, read by page_in_warnings to locate markdown-exec's own
# report of a failing block (a context variable: it holds only while that block runs).
RUNNING_BLOCK: ContextVar[str | None] = ContextVar("running_block", default=None)


@dataclass
class PageInProgress:
    """The page whose Markdown is being converted: blocks are reported with its path and their line."""

    label: str  # as a contributor types the path
    path: str  # absolute, to find a block's line
    text: str | None = None
    started: Counter = field(default_factory=Counter)  # code -> blocks with that code run so far
    ids: dict[str, str] = field(default_factory=dict)  # element id a chart block printed -> where that block is

    def line_of(self, code: str, occurrence: int = 1) -> int | None:
        """1-based line of the ``occurrence``-th fence in the page's file whose body is this code."""
        if self.text is None:
            try:
                self.text = Path(self.path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.text = ""
        lines = [fence.start + 1 for fence in fences(self.text) if "\n".join(fence.body).strip("\n") == code.strip("\n")]
        return lines[occurrence - 1] if len(lines) >= occurrence else None

    def where_next(self, code: str) -> str:
        """Where the block markdown-exec is about to run is: blocks run in page order, so two blocks with the
        same code (in two sessions, say) are told apart by how many with that code ran before."""
        self.started[code] += 1
        line = self.line_of(code, self.started[code])
        return f"{self.label}:{line}" if line else self.label


@dataclass
class BlockRunner:
    """Runs the blocks of one build: limits, guard and checks (see the module docstring)."""

    timeout: float
    protected: tuple[str, ...]  # absolute folders code must not change: docs and snippets
    project_root: str
    installation: tuple[str, ...]  # folders of Python and its packages (result_cache.installation_folders)
    page: PageInProgress | None = None
    ran: int = 0  # blocks run this build, for its summary line
    _excluded_prefixes: tuple = ()

    def wrap(self, original: Callable) -> Callable:
        # A partial adds no Python frame: a block runs one frame deeper than markdown-exec alone runs it
        # (this method's), which a recursion demo or inspect.stack() would show, and no more.
        format = partial(self.format, original)
        setattr(format, WRAPPED, True)
        return format

    def format(self, original: Callable, src: str, language: str, css_class, options: dict, md, **kwargs):
        page = self.page or PageInProgress("(a page)", "")
        where = page.where_next(src)
        self.ran += 1
        seconds = self._time_limit(options, where)
        running = RUNNING_BLOCK.set(where)
        directory = _working_directory()
        with recording() as accesses, _no_bytecode_files():
            try:
                with limits(seconds, where):
                    html = original(src, language, css_class, options, md, **kwargs)
            except TimeLimitExceeded as stopped:  # it expired inside markdown-exec itself
                log.warning(f"{where}: this code block {stopped}")
                html = Markup(f"<pre><code>{escape(str(stopped))}</code></pre>")
            except SystemExit as exited:  # markdown-exec catches Exception only: the whole build would end
                report = exit_report(exited)
                log.warning(f"{where}: this code block {report}")
                html = Markup(f"<pre><code>{escape(report)}</code></pre>")
            finally:
                RUNNING_BLOCK.reset(running)
        self._report_changed_files(accesses.changed, where)
        _report_directory_change(directory, where)
        if is_chart_block(language, options):
            self._check_chart(str(html), where, md.is_block_level, page)
        return html

    def summary(self) -> str:
        """E.g. "Code blocks: 4 run by markdown-exec (never cached: each runs whenever its page is built)"."""
        return f"Code blocks: {self.ran} run by markdown-exec (never cached: each runs whenever its page is built)" if self.ran else ""

    def _check_chart(self, html: str, where: str, is_block_level: Callable[[str], bool], page: PageInProgress) -> None:
        if not html:
            log.warning(
                f'{where}: this chart block (html="on") printed nothing, so the page shows nothing in its place; '
                "print the chart's HTML (for example print(svg)), or drop html=\"on\""
            )
        for problem in chart_problems(html):
            log.warning(f"{where}: this chart's SVG {problem}")
        for problem in unbalanced(html, is_block_level):
            log.warning(f'{where}: the HTML this block printed (html="on") {problem}; print whole elements, each closed')
        ids = element_ids(html)
        taken = {name: page.ids[name] for name in dict.fromkeys(ids) if name in page.ids}
        if taken:
            names = ", ".join(f'"{name}"' for name in list(taken)[:3]) + (f" and {len(taken) - 3} more" if len(taken) > 3 else "")
            earlier = sorted(set(taken.values()))
            log.warning(
                f"{where}: this chart's SVG (or HTML) gives elements ids that the chart block"
                f"{'s' if len(earlier) > 1 else ''} at {' and '.join(earlier)} gave already ({names}), so what refers to them "
                "(labels, links, glyphs, clip paths) reaches that chart's; give each chart ids of its own "
                "(the chart kit's chart_id prefixes them)"
            )
        for name in ids:
            page.ids.setdefault(name, where)

    def _report_changed_files(self, changed: set[str], where: str) -> None:
        changed_here = sorted(inside(changed, self.protected))
        if changed_here:
            log.warning(
                f"{where}: this code block changed files of the project while the site was built: "
                f"{', '.join(os.path.relpath(p, self.project_root) for p in changed_here)}. Code run at build time "
                "must not write under docs/ or the snippets folder; write under a temporary folder (tempfile) instead, "
                "and delete a file it made there (it would be published with the site) or restore one it changed "
                "(git checkout -- PATH)."
            )

    def _time_limit(self, options: dict, where: str) -> float:
        raw = (options.get("extra") or {}).get("timeout")
        if raw is None:
            return self.timeout
        seconds = positive_seconds(raw)
        if seconds is None:
            log.warning(f'{where}: timeout="{raw}" must be a positive number of seconds; using {self.timeout:g}')
            return self.timeout
        return seconds

    def forget_project_modules(self) -> None:
        """So the next block imports them afresh: ``mkdocs serve`` builds again in the same process, and an
        edited module must be read again, as a new ``mkdocs build`` would read it."""
        for name in self._own_module_names():
            del sys.modules[name]

    def release_helper_names(self) -> None:
        """Free the plain names these hooks' helper modules were imported under (``result_cache``,
        ``file_access``...), so a block that imports a project module of the same name gets that module,
        as it would without the hooks. The hooks keep the modules they imported; none imports later."""
        hooks = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")
        for name, module in list(sys.modules.items()):
            if name.isidentifier() and (getattr(module, "__file__", None) or "").startswith(hooks):
                del sys.modules[name]

    def _own_module_names(self) -> list[str]:
        return [  # not __main__: the program that runs the build (a script of its own, for some)
            name for name, module in list(sys.modules.items())
            if name != "__main__" and self._is_own_file(getattr(module, "__file__", None) or "")
        ]

    def _is_own_file(self, path: str) -> bool:
        """A file of a module that is neither the Python installation's nor these hooks': the project's
        own modules, and any other folder on sys.path (a course library next to the project)."""
        if not self._excluded_prefixes:
            hooks = os.path.dirname(os.path.abspath(__file__))
            self._excluded_prefixes = tuple(os.path.join(folder, "") for folder in (*self.installation, hooks))
        return os.path.isabs(path) and not path.startswith(self._excluded_prefixes)


_PAGE_WIDE_STYLE = re.compile(r"<style\b", re.IGNORECASE)
_DATE = re.compile(r"<dc:date>", re.IGNORECASE)


def chart_problems(html: str) -> list[str]:
    """What a chart's HTML must not carry: a <style> (it applies to the whole page) or a date (builds differ)."""
    problems = []
    if "<svg" in html and _PAGE_WIDE_STYLE.search(html):
        problems.append(
            "has a <style> element, which styles the whole page, not only the chart; draw with the chart kit "
            "(snippets/chart_kit.py), or remove the <style> from the SVG"
        )
    if "<svg" in html and _DATE.search(html):
        problems.append(
            "carries a date (<dc:date>), so two builds differ; draw with the chart kit (snippets/chart_kit.py), "
            'or save with metadata={"Date": None}'
        )
    return problems


def _working_directory() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # deleted under the build
        return None


def _report_directory_change(before: str | None, where: str) -> None:
    """A block that leaves the build in another directory moves every later block there, on every later page
    (markdown-exec does not restore it, and nor do we: the page must be what markdown-exec alone makes of it)."""
    after = _working_directory()
    if after != before:
        log.warning(
            f"{where}: this code block changed the working directory (to {after or 'a deleted folder'}) and left it "
            "there, so every later block, on this page and the pages after it, runs there; change it only inside "
            'a with contextlib.chdir(...) block, or use markdown-exec\'s workdir="..." option'
        )


def exit_report(exited: SystemExit) -> str:
    """What to say of a block that asked Python to exit (``exit()``, ``sys.exit()``, argparse on bad arguments)."""
    status = "" if exited.code is None else repr(exited.code)
    return (
        f"called sys.exit({status}) (or exit(), or a library did, as argparse does on arguments it cannot read), "
        "which would end the whole build, silently and with no site; a block must end by running to its last "
        "line: remove the call, or catch SystemExit where the code calls it"
    )


@contextmanager
def _no_bytecode_files() -> Iterator[None]:
    """Imports write no __pycache__ into the project: under ``mkdocs serve`` that would trigger another build."""
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = before
