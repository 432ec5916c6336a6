"""Refresh the expected-output blocks of the lessons after an intended change.

    python scripts/update_expected.py [MARKDOWN_FILE_OR_FOLDER ...]   (default: docs/)

Runs every snippet named by an ``expected-output`` block (as the build does)
and rewrites only the blocks whose output changed: the fence lines and every
other byte of the file stay as they were. Each file is replaced atomically, so
an interrupted run leaves it whole. Running it twice changes nothing the second time.

Refused, with the file and line, and exit status 1:

- a page that is not UTF-8, or whose fences ``markdown_fences`` cannot read
  strictly (a block may not be what it seems): nothing in that file changes;
- a block whose snippet fails (raises, runs too long, is missing, prints too
  much or not UTF-8: whatever ``snippet_runner`` reports as a problem), or whose
  new output holds a line that would end its fence: that block is left alone.

A configuration error in mkdocs.yml (``extra.code_execution``, or a misspelled
key of ``extra``: see ``execution_settings``) is reported as the build reports
it, without a traceback, with exit status 1 and nothing changed.

Before a file is written, its new text is read back: it must hold the same
blocks with the new bodies and every line outside them unchanged, or the file
is left alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from markdown_fences import (  # noqa: E402
    BlockSyntaxError,
    ExpectedBlock,
    body_problem,
    find_expected_blocks,
    lines_with_endings,
    matches,
    output_lines,
    rewrite_blocks,
)
from execution_settings import ExecutionSettings, settings_from_file  # noqa: E402
from mkdocs.exceptions import ConfigurationError  # noqa: E402
from snippet_runner import SnippetRunner, run_block  # noqa: E402

BOM = "\ufeff"
UNCHANGED = "(nothing in this file was changed)"
LEFT_ALONE = "(block left as it is)"


def markdown_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return found


def update_file(path: Path, runner: SnippetRunner, default_timeout: float, label: str) -> tuple[int, list[str]]:
    """Rewrite the stale blocks of one file; return how many changed and the failures."""
    try:
        bom, text = read_page(path)
    except (OSError, UnicodeError) as error:
        return 0, [f"{label}{read_error(error, path)} {UNCHANGED}"]
    try:
        blocks = find_expected_blocks(text)
    except BlockSyntaxError as error:
        return 0, [f"{label}:{error.line}: {error}\n{UNCHANGED}"]
    replacements, failures = new_outputs(blocks, runner, default_timeout, label)
    if not replacements:
        return 0, failures
    new_text = rewrite_blocks(text, replacements, keep_fences=True)
    mismatch = rewrite_mismatch(text, new_text, blocks, {block.start: lines for block, lines in replacements})
    if mismatch:
        return 0, failures + [f"{label}: refusing to write it: {mismatch} {UNCHANGED}"]
    if path.read_bytes() != (bom + text).encode("utf-8"):  # saved from an editor while the snippets ran
        return 0, failures + [f"{label}: it changed while its snippets ran; run this again {UNCHANGED}"]
    write_atomically(path, bom + new_text)
    for block, _ in replacements:
        print(f"{label}:{block.line}: updated the expected output of {block.snippet}")
    return len(replacements), failures


def read_page(path: Path) -> tuple[str, str]:
    """(byte-order mark or "", text) of a Markdown file, decoded without touching its line endings."""
    text = path.read_bytes().decode("utf-8")
    return (BOM, text[1:]) if text.startswith(BOM) else ("", text)


def read_error(error: OSError | UnicodeError, path: Path) -> str:
    """What follows the file's name in the report of a page that cannot be read."""
    if isinstance(error, UnicodeDecodeError):
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return f":{line}: byte {error.start} is not UTF-8: save the file as UTF-8"
    return f": cannot read it: {getattr(error, 'strerror', None) or error}"


def new_outputs(
    blocks: list[ExpectedBlock], runner: SnippetRunner, default_timeout: float, label: str
) -> tuple[list[tuple[ExpectedBlock, list[str]]], list[str]]:
    """The blocks whose snippet now prints something else, with what it prints; and the blocks refused."""
    replacements, failures = [], []
    for block in blocks:
        where = f"{label}:{block.line}"
        run = run_block(runner, block, default_timeout)
        if run.problem:
            failures.append(f"{where}: {run.problem}\n{LEFT_ALONE}")
        elif not matches(block, run.result.stdout):
            new_lines = output_lines(run.result.stdout)
            problem = body_problem(block, new_lines)
            if problem:
                failures.append(f"{where}: cannot write the new output of {block.snippet}: {problem}\n{LEFT_ALONE}")
            else:
                replacements.append((block, new_lines))
    return replacements, failures


def rewrite_mismatch(old: str, new: str, blocks: list[ExpectedBlock], new_bodies: dict[int, list[str]]) -> str | None:
    """Why the rewritten text is not the old one with only the given bodies changed; None when it is."""
    try:
        reread = find_expected_blocks(new)
    except BlockSyntaxError as error:
        return f"the rewritten text would not parse (line {error.line}: {error})"
    if len(reread) != len(blocks):
        return f"the rewritten text would hold {len(reread)} expected-output blocks instead of {len(blocks)}"
    for before, after in zip(blocks, reread):
        if after.expected != new_bodies.get(before.start, before.expected):
            return f"the block at line {before.line} would not read back as its new output"
    if outside_bodies(old, blocks) != outside_bodies(new, reread):
        return "a line outside the expected-output blocks would change"
    return None


def outside_bodies(text: str, blocks: list[ExpectedBlock]) -> list[str]:
    """The text's lines, with their endings, that are not inside a block's body (fences included)."""
    inside = {index for block in blocks for index in range(block.start + 1, block.end)}
    return [line for index, line in enumerate(lines_with_endings(text)) if index not in inside]


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step: readers see the old bytes or the new, never half."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_settings(config_file: Path) -> ExecutionSettings | None:
    """The same settings, snippets folder and checks as the build (extra.code_execution in mkdocs.yml).

    None, once the configuration error is printed as MkDocs prints it (one paragraph, no traceback).
    """
    try:
        return settings_from_file(str(config_file))
    except ConfigurationError as error:
        print(f"Error: {error}\nAborted with a configuration error: nothing was changed.", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="Markdown files or folders (default: docs/)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    settings = read_settings(root / "mkdocs.yml")
    if settings is None:
        return 1
    runner = SnippetRunner(root, snippets_dir=settings.snippets_dir, output_limit=settings.output_limit)
    default_timeout = settings.timeout
    changed_blocks, changed_files, failures = 0, 0, []
    try:
        for path in markdown_files([p if p.is_absolute() else root / p for p in args.paths or [Path("docs")]]):
            label = os.path.relpath(path, root)
            changed, problems = update_file(path, runner, default_timeout, label)
            changed_blocks += changed
            changed_files += bool(changed)
            failures += problems
    finally:
        runner.close()
    for failure in failures:
        print(failure, file=sys.stderr)
    if changed_blocks:
        print(f"Updated {changed_blocks} expected-output block(s) in {changed_files} file(s).")
    elif not failures:
        print("Every expected output already matches what its snippet prints; nothing changed.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
