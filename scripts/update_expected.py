"""Refresh the expected-output blocks of the lessons after an intended change.

    python scripts/update_expected.py [MARKDOWN_FILE_OR_FOLDER ...]   (default: docs/)

Runs every snippet named by an ``expected-output`` block (as the build does)
and rewrites only the blocks whose output changed: the fence lines and every
other byte of the file stay as they were. Each file is replaced atomically, so
an interrupted run leaves it whole. A snippet that fails is reported and its
block left alone (exit status 1). Running it twice changes nothing the second time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from markdown_fences import BlockSyntaxError, find_expected_blocks, matches, output_lines, rewrite_blocks  # noqa: E402
from snippet_runner import DEFAULT_TIMEOUT, SnippetRunner, run_block  # noqa: E402


def configured_timeout(config_file: Path) -> float:
    """extra.verified_output.timeout from mkdocs.yml, as the build reads it."""
    if not config_file.exists():
        return DEFAULT_TIMEOUT
    from mkdocs.utils import yaml_load

    with config_file.open(encoding="utf-8") as stream:
        config = yaml_load(stream) or {}
    return float(((config.get("extra") or {}).get("verified_output") or {}).get("timeout", DEFAULT_TIMEOUT))


def markdown_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return found


def update_file(path: Path, runner: SnippetRunner, default_timeout: float, label: str) -> tuple[int, list[str]]:
    """Rewrite the stale blocks of one file; return how many changed and the failures."""
    text = path.read_bytes().decode("utf-8")  # bytes, so line endings survive as they are
    try:
        blocks = find_expected_blocks(text)
    except BlockSyntaxError as error:
        return 0, [f"{label}:{error.line}: {error}"]
    replacements, failures = [], []
    for block in blocks:
        where = f"{label}:{block.line}"
        run = run_block(runner, block, default_timeout)
        if run.problem:
            failures.append(f"{where}: {run.problem}\n(block left as it is)")
        elif not matches(block, run.result.stdout):
            replacements.append((block, output_lines(run.result.stdout)))
            print(f"{where}: updated the expected output of {block.snippet}")
    if replacements:
        write_atomically(path, rewrite_blocks(text, replacements, keep_fences=True))
    return len(replacements), failures


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="Markdown files or folders (default: docs/)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project root (default: current folder)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    runner = SnippetRunner(root)
    default_timeout = configured_timeout(root / "mkdocs.yml")
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
