"""Hook: under ``mkdocs serve --dirty`` (what ``make serve`` runs), rebuild only the pages an edit affects.

MkDocs' dirty mode rebuilds a page only when its Markdown file is newer than its
HTML, so on its own it is fast but wrong: a page whose snippet, data file or
included file changed keeps its old output, other pages keep a title that
changed, and the search index keeps only the pages just rebuilt. This hook
supplies what dirty mode lacks, so that every rebuild gives the site a full
build gives (``tests/test_serve_rebuilds.py`` compares the two, byte for byte,
across a series of edits):

- **What a page depends on** is recorded while it is built: every file its
  build read (``file_access``), wherever it lives, which includes the snippets
  and data its code blocks read and the inputs of the cached results it reused,
  except Python's own installation. A page is rebuilt when one of those files
  changed, when its last build logged a warning or an error (so the log says it
  again), or when its HTML is missing. The others keep their HTML.
- **What every page depends on**: the configuration file, the theme overrides
  and the set of files; and what pages show of each other: titles and front
  matter (navigation, the module home's lesson list). When one of these
  changed, every page is rebuilt. A page whose markdown-exec ids moved (a page
  before it took more or fewer) is rendered again, in page order, as a whole
  build numbers them. Pages kept as they were keep their title, front matter,
  anchors and links, so the rebuilt pages' navigation and MkDocs' link checks
  see the whole site.
- **The search index** is written from the rebuilt pages' entries and the other
  pages' entries of the last build, in page order, as Material writes it.
- **Hooks**: MkDocs imports them once per process, so when their code (or
  Python's packages) changed, the server restarts itself in place (same
  command, same address); the browser reloads when it is back.

Outside ``serve --dirty`` the hook does nothing but the restart under plain
``mkdocs serve``. A page is also rendered on every rebuild while what it read is
not all known: its code started a program (``file_access.Accesses.unseen``), or
a file it read was saved while the build ran. Known limits (docs/contributing.md,
"The edit loop"): each page imports the project's modules afresh
(``code_execution``), so their top-level code runs again in this long-lived
process, and state that one page's code leaves for a later page, in such a
module or a markdown-exec ``session``, is not replayed; reads by threads already
running when the page's build began, and checks that only look at a file, are not
recorded.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from markdown_exec import MarkdownConverter
from material.plugins.search.plugin import SearchIndex
from mkdocs import utils
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import get_markdown_title
from mkdocs.utils.meta import get_data

from file_access import changed_since, inputs_digest, inputs_unchanged, outside, recording
from result_cache import HOOKS, STARTED_WITH, installation_digest, installation_folders

log = logging.getLogger("mkdocs.hooks.serve_rebuilds")
SHOWN = 12  # pages named in the summary line of a rebuild
DIRTY_WARNING = "A 'dirty' build is being performed"  # MkDocs' own, untrue with this hook


@dataclass
class PageRecord:
    """What one page's last build read, and what the rest of the site shows of it."""

    inputs: dict[str, str | None]  # file_access.inputs_digest of what the build read
    title: str | None  # shown in every page's navigation
    meta: dict  # its front matter: navigation, lesson lists
    hint: list  # the title and front matter as its Markdown file states them: see source_hint()
    ids_before: int  # markdown-exec's id counter when the page began, in page order
    ids_used: int  # ids it took: the pages after it continue from there
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]]  # {linked page's src_uri: {anchor: link as written}}
    search_entries: list[dict]
    warned: bool  # its build logged a warning or an error
    unsure: bool  # what it read is not all known, or changed while it was built


@dataclass
class PageInBuild:
    """A page being built now, recorded in two windows: Markdown to HTML, then its template."""

    ids_before: int = 0  # markdown-exec's id counter when the page began
    ids_used: int = 0
    read: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)
    warned: bool = False
    unseen: bool = False  # it started a program (file_access.Accesses.unseen)
    search_entries: list[dict] | None = None
    _stack: ExitStack | None = None

    def start(self) -> None:
        self._stack = ExitStack()
        accesses = self._stack.enter_context(recording())
        self._stack.callback(self._keep, accesses)

    def _keep(self, accesses) -> None:
        self.read |= accesses.read
        self.listed |= accesses.listed
        self.unseen = self.unseen or accesses.unseen

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


class WarningSeen(logging.Handler):
    """Notes that a WARNING or worse was logged while a page was being built."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.page: PageInBuild | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.page is not None:
            self.page.warned = True


class ServeRebuilds:
    """The hook's events; its records last as long as the ``mkdocs serve`` process."""

    def __init__(self) -> None:
        self.serving = False
        self.active = False  # serve --dirty
        self.records: dict[str, PageRecord] = {}  # by src_uri, from the builds so far
        self.site_key: str | None = None
        self.building: dict[str, PageInBuild] = {}  # by src_uri: the pages this build renders
        self.whole = True  # this build renders every page
        self.in_order = False  # render_in_order() is numbering the pages it renders
        self.started_ns = 0  # when the build under way began (time.time_ns)
        self.warnings = WarningSeen()
        self.files = None
        self.ignored: tuple[str, ...] = ()

    # -- events, in the order MkDocs calls them -------------------------------------------------------

    def on_startup(self, command, dirty):
        self.serving = command == "serve"
        self.active = self.serving and dirty
        if self.active:
            logging.getLogger("mkdocs.commands.build").addFilter(lambda r: DIRTY_WARNING not in r.getMessage())
            for name in ("mkdocs", ""):  # MkDocs' logger does not propagate to the root
                logging.getLogger(name).addHandler(self.warnings)

    @event_priority(100)
    def on_config(self, config):
        if self.serving and installation_digest(HOOKS) != STARTED_WITH:
            restart(config)
        if self.active:
            root = os.path.dirname(os.path.abspath(config.config_file_path))
            # Not inputs of a page: Python's installation (a change restarts), the site, the build cache.
            self.ignored = (*installation_folders(), os.path.abspath(config.site_dir), os.path.join(root, ".cache"))
        return config

    @event_priority(100)  # before anything asks which pages MkDocs will build
    def on_files(self, files, config):
        if not self.active:
            return files
        self.files, self.building, self.started_ns = files, {}, time.time_ns()
        key = site_key(config, files)
        pages = {file.src_uri: file for file in documentation_pages(files)}
        stale = [uri for uri, file in pages.items() if self.needs_rebuild(uri)]
        self.whole = key != self.site_key or any(
            source_hint(pages[uri]) != self.records[uri].hint for uri in stale if uri in self.records
        )
        if self.whole:
            utils.clean_directory(config.site_dir)
            MarkdownConverter.counter = 0  # as in a fresh process (a failed build leaves it where it stopped)
        else:
            for uri in stale:
                remove_output(pages[uri])
        self.site_key = key
        return files

    @event_priority(100)
    def on_pre_page(self, page, config, files):
        if self.active:
            record = self.records.get(page.file.src_uri)
            if not self.whole and not self.in_order and record is not None:
                MarkdownConverter.counter = record.ids_before  # the ids it gets in a whole build
            building = self.building[page.file.src_uri] = PageInBuild(ids_before=MarkdownConverter.counter)
            self.watch(building)
        return page

    @event_priority(-100)
    def on_page_content(self, html, page, config, files):
        building = self.building.get(page.file.src_uri)
        if self.active and building is not None:
            self.unwatch(building)
            building.ids_used = MarkdownConverter.counter - building.ids_before
        return html

    def on_env(self, env, config, files):
        if not self.active or self.whole:
            return env
        shown_elsewhere = any(
            (file.page.title, dict(file.page.meta)) != (self.records[uri].title, self.records[uri].meta)
            for uri, file in self.rebuilt(files) if uri in self.records
        )
        if shown_elsewhere:
            log.info("A rebuilt page's title or front matter changed: rebuilding every page")
        self.render_in_order(config, files, every_page=shown_elsewhere)
        for file in documentation_pages(files):
            record = self.records.get(file.src_uri)
            if file.src_uri in self.building or record is None:
                continue
            # As its last build left it: what the rebuilt pages' templates and link checks read of it.
            page = file.page
            page.title, page.meta, page.present_anchor_ids = record.title, record.meta, record.anchors
            page.links_to_anchors = {
                files.get_file_from_path(uri): links
                for uri, links in record.links_to_anchors.items()
                if files.get_file_from_path(uri) is not None
            }
        return env

    @event_priority(100)  # before Material's search, which strips attributes it indexed
    def on_page_context(self, context, page, config, nav):
        building = self.building.get(page.file.src_uri)
        if self.active and building is not None:
            building.search_entries = search_entries(page, config)
            self.watch(building)
        return context

    @event_priority(-100)
    def on_post_page(self, output, page, config):
        building = self.building.get(page.file.src_uri)
        if self.active and building is not None:
            self.unwatch(building)
            self.records[page.file.src_uri] = self.record(page, building)
        return output

    @event_priority(-50)  # after Material's search wrote its index
    def on_post_build(self, config):
        if not self.active:
            return
        pages = [file.src_uri for file in documentation_pages(self.files)]
        self.records = {uri: self.records[uri] for uri in pages if uri in self.records}
        write_search_index(config, [self.records[uri].search_entries for uri in pages if uri in self.records])
        rebuilt = sorted(self.building)
        named = ", ".join(rebuilt[:SHOWN]) + (", ..." if len(rebuilt) > SHOWN else "")
        log.info(f"Rebuilt {len(rebuilt)} of {len(pages)} pages" + (f": {named}" if rebuilt else ""))
        self.building = {}

    def on_build_error(self, error):
        for building in self.building.values():
            building.stop()
        self.records, self.site_key, self.building = {}, None, {}  # a whole build next time
        self.warnings.page = None

    # -- helpers --------------------------------------------------------------------------------------

    def needs_rebuild(self, src_uri: str) -> bool:
        record = self.records.get(src_uri)
        return record is None or record.warned or record.unsure or not inputs_unchanged(record.inputs)

    def rebuilt(self, files):
        return [(f.src_uri, f) for f in documentation_pages(files) if f.src_uri in self.building]

    def render_in_order(self, config, files, every_page: bool) -> None:
        """Render, in page order as a whole build does, every page not rendered yet (``every_page``), and
        the pages with markdown-exec ids whose first id moved (a page before them took more or fewer)."""
        self.in_order = True
        try:
            self._render_in_order(config, files, every_page)
        finally:
            self.in_order = False

    def _render_in_order(self, config, files, every_page: bool) -> None:
        counter = 0
        for file in documentation_pages(files):
            uri, building, record = file.src_uri, self.building.get(file.src_uri), self.records.get(file.src_uri)
            if building is not None:
                ids_before, ids_used = building.ids_before, building.ids_used
            elif record is not None:
                ids_before, ids_used = record.ids_before, record.ids_used
            else:
                ids_before, ids_used = counter, 0
            moved = ids_before != counter and ids_used > 0
            if moved or (every_page and building is None):
                MarkdownConverter.counter = counter
                self.render_again(file, config, files)
                ids_used = self.building[uri].ids_used
            counter += ids_used

    def render_again(self, file, config, files) -> None:
        """What MkDocs does to a page before its template (commands/build.py, _populate_page), by its public
        parts; and its HTML removed, so that MkDocs renders its template too."""
        remove_output(file)
        page = config.plugins.on_pre_page(file.page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)

    def watch(self, building: PageInBuild) -> None:
        building.start()
        self.warnings.page = building

    def unwatch(self, building: PageInBuild) -> None:
        building.stop()
        self.warnings.page = None

    def record(self, page, building: PageInBuild) -> PageRecord:
        read = outside(building.read | {os.path.abspath(page.file.abs_src_path)}, self.ignored)
        anchors = set(page.present_anchor_ids) if page.present_anchor_ids is not None else None
        links = {f.src_uri: dict(links) for f, links in (getattr(page, "links_to_anchors", None) or {}).items()}
        listed = outside(building.listed, self.ignored)
        # A file saved after the build began may have been read before or after the save.
        unsure = building.unseen or any(changed_since(path, self.started_ns) for path in read | listed)
        return PageRecord(
            inputs=inputs_digest(read, listed), title=page.title,
            meta=dict(page.meta), hint=source_hint(page.file), ids_before=building.ids_before,
            ids_used=building.ids_used, anchors=anchors, links_to_anchors=links,
            search_entries=building.search_entries or [], warned=building.warned, unsure=unsure,
        )


def documentation_pages(files):
    """The pages ``mkdocs serve`` builds, in the order it builds them (drafts included)."""
    return files.documentation_pages(inclusion=InclusionLevel.is_in_serve)


def source_hint(file) -> list:
    """The title and front matter as the page's Markdown file states them, read without rendering."""
    try:
        markdown, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        return [None, None]
    return [get_markdown_title(markdown), meta]


def site_key(config, files) -> str:
    """What every page depends on: the configuration file, the theme overrides, the set of files."""
    hasher = hashlib.sha256()
    hasher.update(Path(config.config_file_path).read_bytes())
    for folder in config.theme.dirs:
        if not folder.startswith(installation_folders()):
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file():
                    hasher.update(str(path).encode() + b"\0" + path.read_bytes())
    for file in sorted(files, key=lambda f: f.src_uri):
        hasher.update(f"{file.src_uri}\0{file.dest_uri}\0{file.inclusion}\0".encode())
    return hasher.hexdigest()


def remove_output(file) -> None:
    """MkDocs' dirty mode rebuilds a page whose HTML is missing."""
    try:
        os.remove(file.abs_dest_path)
    except FileNotFoundError:
        pass


def search_entries(page, config) -> list[dict]:
    """The page's entries in Material's search index, made by Material's own indexer."""
    plugin = config.plugins.get("material/search")
    if plugin is None or not plugin.config.enabled:
        return []
    index = SearchIndex(**plugin.config)
    index.add_entry_from_context(page)
    return index.entries


def write_search_index(config, entries_by_page: list[list[dict]]) -> None:
    """Material's index of every page, in page order (its own dirty mode keeps only the rebuilt pages)."""
    plugin = config.plugins.get("material/search")
    if plugin is None or not plugin.config.enabled:
        return
    index = SearchIndex(**plugin.config)
    index.entries = [entry for entries in entries_by_page for entry in entries]
    path = os.path.join(config.site_dir, "search", "search_index.json")
    utils.write_file(index.generate_search_index(None).encode("utf-8"), path)


def restart(config) -> None:
    """Start this ``mkdocs serve`` afresh (same command), so the hooks' new code runs; unless a hook
    cannot be compiled: then say where, and keep serving with the code already loaded."""
    for path in sorted(HOOKS.rglob("*.py")):
        try:
            compile(path.read_bytes(), str(path), "exec")
        except SyntaxError as error:
            log.error(f"{path}:{error.lineno}: {error.msg}; not restarting until the hooks compile")
            return
    log.info("The hooks, Python or its packages changed: restarting `mkdocs serve` so the new code runs")
    shutil.rmtree(config.site_dir, ignore_errors=True)  # serve's temporary folder: the new process makes its own
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


_hook = ServeRebuilds()
on_startup = _hook.on_startup
on_config = _hook.on_config
on_files = _hook.on_files
on_pre_page = _hook.on_pre_page
on_page_content = _hook.on_page_content
on_env = _hook.on_env
on_page_context = _hook.on_page_context
on_post_page = _hook.on_post_page
on_post_build = _hook.on_post_build
on_build_error = _hook.on_build_error
