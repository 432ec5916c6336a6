"""Hook: run the code on every page at build time, under limits, with a cache that is never stale.

The one hook for code run while the site is built: expected-output snippets
and markdown-exec's blocks (the charts). Where to find each answer:

- what runs a block, and its limits: ``code_blocks.py`` and ``block_limits.py``
  (markdown-exec blocks, in this process, every build), ``snippet_runner.py``
  (snippets, each in a process of its own);
- what the cache key covers (snippet runs only): ``result_cache.py``
  (``cache_key``), and which files a run read: ``file_access.py``;
- how a block's output reaches the page: ``code_blocks.py`` (markdown-exec
  writes the HTML, always) and ``verified_output.py`` (expected outputs);
- the settings: ``execution_settings.py`` (``extra.code_execution``).

Each build, this hook reads the settings once, opens the build cache
(``NO_BUILD_CACHE=1``: off), wraps every fence markdown-exec registers, puts the
snippets folder on ``sys.path`` and forgets the modules imported from the
project by an earlier build (``mkdocs serve`` then sees edited files), starts
every page's snippets in the background, checks each page's expected outputs,
and ends with a summary: how many markdown-exec blocks ran and, if any snippet
ran, what the cache reused and what was computed.
List it after the markdown-exec plugin (hooks run after plugins anyway).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from markdown_exec import validator as markdown_exec_validator

from code_blocks import WRAPPED, BlockRunner, PageInProgress
from execution_settings import ExecutionSettings, read_settings
from markdown_fences import BlockSyntaxError, find_expected_blocks, front_matter_lines, page_source, page_texts
from result_cache import STARTED_WITH, ResultCache, cache_enabled, installation_folders
from snippet_runner import SnippetPathError, SnippetRunner
from verified_output import Checker

log = logging.getLogger("mkdocs.hooks.code_execution")


@dataclass
class BuildRun:
    """Everything one build needs to run code, made once from its configuration."""

    settings: ExecutionSettings
    cache: ResultCache
    blocks: BlockRunner
    checker: Checker

    @classmethod
    def for_config(cls, config) -> BuildRun:
        settings = read_settings(config)
        root = Path(config.config_file_path).resolve().parent
        snippets = (root / settings.snippets_dir).resolve()
        protected = (str(Path(config.docs_dir).resolve()), str(snippets))
        cache = ResultCache(root / ".cache" / "build", enabled=cache_enabled())
        installation, key = installation_folders(), STARTED_WITH
        blocks = BlockRunner(settings.timeout, protected, str(root), installation)
        runner = SnippetRunner(
            root, snippets_dir=settings.snippets_dir, output_limit=settings.output_limit, protected=protected,
            cache=cache, installation_key=key, installation=installation,
        )
        escape = "pymdownx.snippets" in config.markdown_extensions  # it reads the output we put in the Markdown
        return cls(settings, cache, blocks, Checker(runner, settings.timeout, escape_includes=escape))

    def close(self) -> None:
        self.checker.runner.close()

    def stop(self) -> None:
        self.checker.runner.stop()


class CodeExecution:
    """The hook's events; the build under way is the one object they share."""

    def __init__(self) -> None:
        self.build: BuildRun | None = None
        self.page_by_page = False  # `mkdocs serve --dirty`: see on_page_markdown

    def on_startup(self, command, dirty):
        self.page_by_page = command == "serve" and dirty

    def on_config(self, config):
        self.on_build_error(None)  # a build that ended without its closing event
        self.build = BuildRun.for_config(config)
        snippets = str(Path(self.build.checker.runner.root, self.build.settings.snippets_dir))
        if snippets not in sys.path:
            sys.path.insert(0, snippets)  # chart blocks import the lesson's snippets
        self.build.blocks.forget_project_modules()  # so edited modules are imported afresh
        self.build.blocks.release_helper_names()
        for fence in config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", []):
            if fence.get("validator") is markdown_exec_validator and not getattr(fence["format"], WRAPPED, False):
                fence["format"] = self.build.blocks.wrap(fence["format"])
        return config

    def on_files(self, files, config):
        # Start the snippets of every page MkDocs will render now: they run on other cores while pages
        # render. (Under `mkdocs serve --dirty`, a page whose HTML is kept is not rendered: is_modified.)
        build = self.build
        rendered = (file.abs_src_path for file in files.documentation_pages() if file.is_modified())
        for text in page_texts(rendered):
            try:
                for block in find_expected_blocks(text):
                    build.checker.runner.start(block.snippet, block.timeout(build.settings.timeout))
            except (OSError, BlockSyntaxError, SnippetPathError):
                continue  # reported with the file and line when the page itself is checked
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if self.page_by_page:
            # serve_rebuilds renders some pages and keeps others: each page imports the project's modules
            # itself, so the files of the modules it uses are recorded as its inputs.
            self.build.blocks.forget_project_modules()
        label = page_source(page, config)
        self.build.blocks.page = PageInProgress(label, page.file.abs_src_path)
        offset = front_matter_lines(page.file.abs_src_path)
        rendered, problems = self.build.checker.check(markdown, label, offset)
        for problem in problems:
            log.warning(problem)
        return rendered

    def on_page_content(self, html, page, config, files):
        self.build.blocks.page = None
        return html

    def on_post_build(self, config):
        for summary in (self.build.blocks.summary(), self.build.cache.summary()):
            if summary:
                log.info(summary)
        self.build.close()
        self.build = None

    def on_build_error(self, error):
        if self.build is not None:
            self.build.stop()
            self.build = None


_hook = CodeExecution()
on_startup = _hook.on_startup
on_config = _hook.on_config
on_files = _hook.on_files
on_page_markdown = _hook.on_page_markdown
on_page_content = _hook.on_page_content
on_post_build = _hook.on_post_build
on_build_error = _hook.on_build_error
