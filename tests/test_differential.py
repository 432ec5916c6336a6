"""Differential suite: the project's hooks change nothing that markdown-exec alone would produce.

The corpus (tests/fixtures/differential: pages of its own using every markdown-exec
feature, snippets/ modules and a data/ CSV the blocks read) is built in one folder,
a git repository with a single commit, with two configurations:

- hooks off: the corpus's mkdocs.yml plus the project's ``extra:`` section;
- hooks on: the same, plus the ``hooks:`` list read now from the project's own
  mkdocs.yml, as absolute paths, so the suite follows whatever hooks it registers.

Both are built in the same folder (blocks print ``MKDOCS_CONFIG_DIR``), reset with
``git clean`` between the two, non-strict (the corpus has blocks that raise), in
conftest's ``mkdocs_env`` plus ``PYTHONPATH`` = the corpus's snippets/ (markdown-exec
alone has no other way to import them), by MkDocs' console-script entry point
(``mkdocs_build`` says why not conftest's ``build``). Each configuration goes
through the same modes, one after another in one tree:

- clean: no .cache/ and no site/;
- warm: the same tree again, site/ and .cache/ kept, as the edit loop or a CI run
  with a restored cache builds (the corpus runs no snippet, the cache's only kind,
  so this holds the hooks' per-build state to changing nothing on a second build);
- edited: the CSV, a snippet module and one page's prose changed, a block added
  before the others (later blocks' numbers move; some blocks print theirs), and what
  a block leaves in the process for later chart blocks (matplotlib's settings, the
  random generator's seed) changed;
- data-edited: the CSV alone changed again (what a block reads reaches the page
  whatever else changed).

After each mode, every HTML page of the two sites must be byte-identical.
Normalisations, all documented here:

- HTML: none. Files that are not HTML pages (search index, sitemap) are not compared
  between hooks on and off; the reproducibility tests below compare every file.
- Logs: only WARNING lines and the lines the corpus's blocks write themselves (they
  contain ``differential:``) are compared, as sorted lists (order is not content);
  a ``page.md:LINE:`` or ``page.md:`` prefix that the hooks put before a WARNING's
  message is removed, and so are the warnings the hooks add on purpose about a chart's
  SVG (``this chart's SVG ...``: a page-wide ``<style>``, a date, or ids an earlier chart of the page gave, hooks/code_blocks.py),
  which this corpus's plain matplotlib charts carry.

What a block could tell apart and the corpus therefore does not print (docs/contributing.md lists
it): SOURCE_DATE_EPOCH when the environment has none, sys.dont_write_bytecode, the SIGALRM handler
and real-time timer while a block runs, and one more stack frame. Threads a block starts are
numbered, counted and listed as without the hooks (process.md prints them).

Then: two clean builds with the hooks, of the same commit, give byte-identical
files (charts keep matplotlib's default metadata, so their date follows
SOURCE_DATE_EPOCH); and the same holds without SOURCE_DATE_EPOCH in the
environment, where the charts are dated by the last commit.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, Build, build, fixture_project, mkdocs_env

CORPUS = FIXTURES / "differential"
COMMIT_DATE = "2025-06-01T12:00:00+00:00"  # not mkdocs_env's SOURCE_DATE_EPOCH, so the two are told apart
MODES = ("clean", "warm", "edited", "data-edited")
DIFF_LINES = 12  # lines of unified diff shown per differing page
DIFF_WIDTH = 160  # characters shown of each diff line, around the first difference


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV values the suite does not need."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def project_setting(name: str):
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags).get(name)


def corpus_config(hooks_on: bool) -> dict:
    """The corpus's configuration with the project's extra: section; with its hooks when asked."""
    config = yaml.safe_load((CORPUS / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"] = project_setting("extra") or {}
    if hooks_on:
        config["hooks"] = [str(ROOT / hook) for hook in project_setting("hooks") or []]
    return config


def git(tree: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    identity = ["-c", "user.name=Differential suite", "-c", "user.email=differential@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=tree, env=env, check=True, capture_output=True)


def new_corpus_tree(tree: Path) -> Path:
    """A copy of the corpus, committed once, so hooks that date the build by the last commit work."""
    shutil.copytree(CORPUS, tree)
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "Differential corpus")
    return tree


def reset(tree: Path, hooks_on: bool) -> None:
    """Back to the commit, with no .cache/ or anything else a build left, configured for a mode."""
    git(tree, "checkout", "-q", "--", ".")
    git(tree, "clean", "-qfdx")
    config = yaml.safe_dump(corpus_config(hooks_on), sort_keys=False)
    (tree / "mkdocs.yml").write_text(config, encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a corpus file; an edit that no longer applies (the corpus changed) stops the suite."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: the differential suite edits {old!r}, which is no longer there"
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_sources(tree: Path) -> None:
    """Change what blocks read (the CSV, a snippet module) and one page's prose, and add a block
    before the others: every later block's markdown-exec number, which some print, moves up."""
    replace_in(tree / "data" / "harvest.csv", "oats,9\n", "oats,15\nmillet,6\n")
    replace_in(tree / "snippets" / "harvest.py", 'UNIT = "tonnes"', 'UNIT = "quintals"')
    replace_in(tree / "docs" / "data.md", "the page's prose", "the page's edited prose")
    block = '```python exec="on"\nprint("A block added first.")\n```\n'
    replace_in(tree / "docs" / "index.md", "# Plain blocks\n", f"# Plain blocks\n\n{block}")
    # What an earlier block leaves in the process changes: the chart blocks after it see other values.
    replace_in(tree / "docs" / "state.md", 'rcParams["lines.linewidth"] = 3.5', 'rcParams["lines.linewidth"] = 2.5')
    replace_in(tree / "docs" / "state.md", "random.seed(35)", "random.seed(25)")


def edit_data_only(tree: Path) -> None:
    """Change only the CSV: no snippet or page changes with it."""
    replace_in(tree / "data" / "harvest.csv", "rye,4", "rye,11")


# Each mode after the first two starts from the tree the previous mode built.
EDITS = {"edited": edit_sources, "data-edited": edit_data_only}


# The console script's code: `python -m mkdocs` (conftest's `build`) logs Python warnings
# to the "__main__" logger, which has no handler, so a block's warnings.warn() would vanish.
MKDOCS_CLI = "import sys; from mkdocs.__main__ import cli; sys.exit(cli())"
BUILD_TIME_LIMIT = 600  # seconds: a build that hangs fails the test instead of stalling the suite


def mkdocs_build(tree: Path, site: Path, unset: tuple[str, ...] = ()) -> Build:
    """A non-strict `mkdocs build` of the tree, as a contributor runs it, with the snippets importable."""
    env = mkdocs_env(PYTHONPATH=str(tree / "snippets"))
    for name in unset:
        env.pop(name, None)
    command = [sys.executable, "-c", MKDOCS_CLI, "build", "--clean", "--site-dir", str(site)]
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=BUILD_TIME_LIMIT)
    return Build(done.returncode, done.stdout + done.stderr, site)


def build_modes(tree: Path, sites: Path, hooks_on: bool) -> dict[str, Build]:
    """Clean build, unchanged rebuild, rebuild after an edit, then after a data-only edit: one tree, four sites."""
    reset(tree, hooks_on)
    label = "on" if hooks_on else "off"
    builds = {}
    for mode in MODES:
        if mode in EDITS:
            EDITS[mode](tree)
        builds[mode] = mkdocs_build(tree, sites / f"{label}-{mode}")
        assert builds[mode].returncode == 0, builds[mode].output
    return builds


def clean_builds_with_hooks(tree: Path, sites: Path, label: str, unset: tuple[str, ...] = ()) -> tuple[Build, Build]:
    """Two clean builds of the same commit with the hooks on, each from a reset tree."""
    results = []
    for name in ("first", "second"):
        reset(tree, hooks_on=True)
        results.append(mkdocs_build(tree, sites / f"{label}-{name}", unset))
        assert results[-1].returncode == 0, results[-1].output
    return results[0], results[1]


@pytest.fixture(scope="module")
def corpus_tree(tmp_path_factory) -> Path:
    return new_corpus_tree(tmp_path_factory.mktemp("differential") / "corpus")


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("differential-sites")


@pytest.fixture(scope="module")
def builds(corpus_tree, sites) -> dict[str, dict[str, Build]]:
    """Every mode, hooks off then hooks on, in the same folder."""
    return {"off": build_modes(corpus_tree, sites, False), "on": build_modes(corpus_tree, sites, True)}


@pytest.fixture(scope="module")
def reproducible_builds(corpus_tree, sites) -> tuple[Build, Build]:
    """Two clean builds with the hooks, SOURCE_DATE_EPOCH set (by mkdocs_env)."""
    return clean_builds_with_hooks(corpus_tree, sites, "repro")


@pytest.fixture(scope="module")
def builds_without_epoch(corpus_tree, sites) -> tuple[Build, Build]:
    """Two clean builds with the hooks and no SOURCE_DATE_EPOCH in the environment."""
    return clean_builds_with_hooks(corpus_tree, sites, "no-epoch", unset=("SOURCE_DATE_EPOCH",))


# --- Comparing sites and logs ---


def site_files(site: Path, pattern: str) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob(pattern)) if path.is_file()}


def first_column_apart(one: str, two: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(one, two)) if a != b), min(len(one), len(two)))


def clipped(diff_line: str, start: int) -> str:
    """A diff line cut to DIFF_WIDTH characters from start (HTML lines can be a whole inline SVG long)."""
    if diff_line.startswith(("---", "+++", "@@")):
        return diff_line
    return diff_line[:1] + diff_line[1:][start : start + DIFF_WIDTH]


def short_diff(name: str, one: bytes, two: bytes, labels: tuple[str, str]) -> str:
    """The first lines of a unified diff of two versions of a file, each line cut around the first difference."""
    left = one.decode("utf-8", "replace").splitlines()
    right = two.decode("utf-8", "replace").splitlines()
    first = next((i for i, (a, b) in enumerate(zip(left, right)) if a != b), min(len(left), len(right)))
    column = first_column_apart(left[first], right[first]) if first < min(len(left), len(right)) else 0
    start = max(0, column - DIFF_WIDTH // 3)
    diff = difflib.unified_diff(left, right, f"{labels[0]}/{name}", f"{labels[1]}/{name}", n=1, lineterm="")
    shown = [clipped(line, start) for line in diff]
    more = f"\n  ... ({len(shown) - DIFF_LINES} more diff lines)" if len(shown) > DIFF_LINES else ""
    where = f"  (first difference: line {first + 1}, column {column + 1}; diff lines cut from column {start + 1})"
    return "\n".join([where, *shown[:DIFF_LINES]]) + more


def differences(one: Build, two: Build, pattern: str, labels: tuple[str, str]) -> list[str]:
    """For each file matching pattern that is missing from a site or differs: what differs."""
    left, right = site_files(one.site, pattern), site_files(two.site, pattern)
    found = []
    for name in sorted(set(left) | set(right)):
        if name not in left or name not in right:
            found.append(f"{name}: only in {labels[0] if name in left else labels[1]}")
        elif left[name] != right[name]:
            found.append(f"{name} differs:\n{short_diff(name, left[name], right[name], labels)}")
    return found


def report(what: str, found: list[str]) -> str:
    return f"{what}: {len(found)} file(s) differ\n\n" + "\n\n".join(found)


HOOK_PREFIX = re.compile(r"^(WARNING\s+-\s+)\S+\.md(?::\d+)?: ")


OWN_CHART_WARNING = "this chart's SVG "


def log_lines(output: str) -> list[str]:
    """WARNING lines and the corpus's own lines, page prefixes and the hooks' chart warnings removed, sorted."""
    kept = [
        line for line in output.splitlines()
        if (line.startswith("WARNING") or "differential:" in line) and OWN_CHART_WARNING not in line
    ]
    return sorted(HOOK_PREFIX.sub(r"\1", line.rstrip()) for line in kept)


def corpus_messages() -> set[str]:
    """Every "differential: ..." message the corpus's blocks warn, log or write."""
    pages = "\n".join(page.read_text(encoding="utf-8") for page in (CORPUS / "docs").glob("*.md"))
    return set(re.findall(r'"(differential: [^"\\]+)', pages))


# --- Hooks on versus hooks off ---


@pytest.mark.parametrize("mode", MODES)
def test_every_page_is_the_same_with_and_without_hooks(builds, mode):
    found = differences(builds["off"][mode], builds["on"][mode], "*.html", ("hooks-off", "hooks-on"))
    assert not found, report(f"{mode} build, hooks off versus on", found)


@pytest.mark.parametrize("mode", MODES)
def test_the_log_warns_the_same_with_and_without_hooks(builds, mode):
    off, on = log_lines(builds["off"][mode].output), log_lines(builds["on"][mode].output)
    missing = sorted(message for message in corpus_messages() if message not in "\n".join(off))
    assert not missing, f"the corpus's messages are not in the hooks-off log: {missing}"
    diff = "\n".join(difflib.unified_diff(off, on, "hooks-off log", "hooks-on log", n=0, lineterm=""))
    assert off == on, f"{mode} build: warnings and block output in the log differ:\n{diff}"


@pytest.mark.parametrize(
    ("before", "after", "pages"),
    [
        ("clean", "edited", {"data/index.html", "charts/index.html", "state/index.html", "modules/index.html"}),
        ("edited", "data-edited", {"data/index.html", "charts/index.html"}),
    ],
)
def test_each_edit_changes_what_markdown_exec_builds(builds, before, after, pages):
    """Without this, the edited modes could not catch a stale page."""
    edited = differences(builds["off"][before], builds["off"][after], "*.html", (before, after))
    changed = {found.split(" ")[0] for found in edited}
    assert pages <= changed, report(f"{before} versus {after}, hooks off", edited)


# --- Reproducible builds with the hooks ---


def chart_dates(site: Path) -> set[str]:
    """The <dc:date> of every SVG chart on every page."""
    pages = site_files(site, "*.html").values()
    return {date for page in pages for date in re.findall(r"<dc:date>([^<]*)</dc:date>", page.decode("utf-8"))}


def iso_date(epoch: int) -> str:
    """As matplotlib writes SOURCE_DATE_EPOCH in an SVG's metadata."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat()


def test_two_clean_builds_with_hooks_are_byte_identical(reproducible_builds):
    first, second = reproducible_builds
    found = differences(first, second, "*", ("first", "second"))
    assert not found, report("two clean builds with hooks, same commit", found)


def test_charts_are_dated_by_source_date_epoch(reproducible_builds):
    epoch = int(mkdocs_env()["SOURCE_DATE_EPOCH"])
    for result in reproducible_builds:
        assert chart_dates(result.site) == {iso_date(epoch)}


def test_without_source_date_epoch_two_builds_with_hooks_are_byte_identical(builds_without_epoch):
    first, second = builds_without_epoch
    found = differences(first, second, "*", ("first", "second"))
    assert not found, report("two clean builds with hooks, no SOURCE_DATE_EPOCH", found)


def test_without_source_date_epoch_charts_are_dated_by_the_commit(builds_without_epoch):
    commit = int(datetime.datetime.fromisoformat(COMMIT_DATE).timestamp())
    for result in builds_without_epoch:
        assert chart_dates(result.site) == {iso_date(commit)}


THREADS_BLOCK = (
    '```python exec="on"\nimport threading\nimport time\n\ntime.sleep(0.5)\n'
    'print("threads:", threading.Thread(target=print).name, threading.active_count(), len(threading.enumerate()))\n```\n'
)


def test_snippets_running_meanwhile_are_not_among_a_blocks_threads(tmp_path):
    """The build runs snippets in threads of its own while pages and their blocks render: a block counts,
    lists and numbers threads as it does under markdown-exec alone (the corpus runs no snippet, so this
    page is built here: with the hooks and a slow snippet, and with markdown-exec alone)."""
    on = fixture_project("two_lessons", tmp_path / "on")
    (on / "snippets" / "slow.py").write_text("import time\n\ntime.sleep(5)\nprint('slept')\n", encoding="utf-8")
    page = on / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n```text expected-output="snippets/slow.py"\nslept\n```\n\n'
                    + THREADS_BLOCK, encoding="utf-8")
    off = tmp_path / "off"
    (off / "docs").mkdir(parents=True)
    (off / "docs" / "index.md").write_text("# Threads\n\n" + THREADS_BLOCK, encoding="utf-8")
    (off / "mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "Threads", "plugins": ["markdown-exec"], "markdown_extensions": ["pymdownx.superfences"],
    }), encoding="utf-8")
    shown = [re.search(r"threads: ([^<]*)</p>", build(project, strict=False).page())[1] for project in (on, off)]
    assert shown[0] == shown[1] == "Thread-1 1 1", shown
