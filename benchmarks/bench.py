"""Build-speed benchmark: prints figures, never fails on a time.

    python benchmarks/bench.py [--runs N] [--site-runs N] [--sizes 1,10,50,100]

1. The real site: the floor (benchmarks/floor.py on the real lesson) against a
   clean strict build (no site/, empty build cache; Python's bytecode stays
   unless PYTHONDONTWRITEBYTECODE is set, for the floor too), run in turn,
   medians of --site-runs runs.
2. A synthetic course of N lessons (copies of the real lesson, each with its own
   snippet, expected output and two charts) generated into a temporary folder:
   its floor, a clean strict build, a rebuild with nothing changed, a rebuild
   after editing one lesson's prose, and the build's peak memory (its process
   tree summed, sampled in one more clean build); medians of --runs runs. Then
   the ratios the targets are stated in. Also plain MkDocs with markdown-exec
   (the same course without this project's hooks) for comparison, and the same
   on the finished pages: each chart block replaced by one that prints the chart
   it drew, so nothing is drawn. That is the least any rebuild that renders every
   page can take, even one that reused every chart (these hooks reuse none:
   markdown-exec's blocks run on every build, hooks/code_blocks.py says why).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from project_copy import copy_project  # noqa: E402
from floor import HTML_BLOCK  # noqa: E402
LESSON = Path("docs/lessons/latest-progress.md")
NAV_LINE = "  - 12.2.6 Latest Progress: lessons/latest-progress.md\n"


@dataclass
class Run:
    seconds: float
    peak_mb: float


def measure(command: list[str], cwd: Path, sample_memory: bool = False, **extra_env: str) -> Run:
    """Wall time and peak memory of one child process and the processes it starts.

    Without ``sample_memory`` the peak is what ``wait4`` reports: the largest of
    the child and its own children, each on its own. A build's snippets run
    alongside it, so with ``sample_memory`` the memory of the whole process tree
    (proportional set size) is also summed every 10 ms; use it in runs that are
    not timed, as sampling costs time.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600", **extra_env}
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        if sample_memory:
            status, usage, tree_peak = wait_sampling_memory(child.pid)
        else:
            (_, status, usage), tree_peak = os.wait4(child.pid, 0), 0
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            sys.exit(f"{' '.join(command)} failed in {cwd}:\n{log.read().decode('utf-8', 'replace')}")
    return Run(seconds, max(usage.ru_maxrss * 1024, tree_peak) / 2**20)


def wait_sampling_memory(pid: int) -> tuple[int, os.struct_rusage, int]:
    """``wait4``'s status and usage, and the most memory the process tree held at any sample."""
    peak = 0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, peak
        peak = max(peak, tree_memory(pid))
        time.sleep(0.01)


def tree_memory(root: int) -> int:
    """Bytes of memory held by a process and all its descendants right now (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, added = {root}, True
    while added:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        added = bool(children)
    total = 0
    for pid in tree:
        try:  # proportional set size: pages shared between the processes are counted once in all
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(rollup.split("\nPss:", 1)[1].split()[0]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


def mkdocs_build(project: Path, sample_memory: bool = False) -> Run:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"]
    return measure(command, project, sample_memory)


def clean_build(project: Path, sample_memory: bool = False) -> Run:
    """No site/ and no build cache (any __pycache__ stays)."""
    shutil.rmtree(project / ".cache" / "build", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    return mkdocs_build(project, sample_memory)


def plain_build(project: Path) -> Run:
    """The same site built by MkDocs and markdown-exec alone: no hooks, snippets importable by PYTHONPATH."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    without_hooks = re.sub(r"^hooks:\n(?:  - .*\n)+", "", config, flags=re.MULTILINE)
    (project / "mkdocs-plain.yml").write_text(without_hooks, encoding="utf-8")
    shutil.rmtree(project / "site-plain", ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs-plain.yml", "--site-dir", "site-plain"]
    return measure(command, project, PYTHONPATH=str(project / "snippets"))


def finished_pages(project: Path, lessons: list[Path], destination: Path) -> Path:
    """A copy of the course whose chart blocks print the chart their code draws, as a literal."""
    shutil.copytree(project, destination, ignore=shutil.ignore_patterns("site", "site-plain", ".cache"))
    sys.path.insert(0, str(project / "snippets"))
    try:
        for lesson in lessons:
            page = destination / lesson

            def printed(match: re.Match) -> str:
                with contextlib.redirect_stdout(io.StringIO()) as output:
                    exec(compile(match.group(1), str(page), "exec"), {"__name__": "__finished__"})
                return f'```python exec="on" html="on"\nprint({output.getvalue()!r}, end="")\n```'

            page.write_text(HTML_BLOCK.sub(printed, page.read_text(encoding="utf-8")), encoding="utf-8")
    finally:
        sys.path.remove(str(project / "snippets"))
    return destination


def floor(project: Path, lessons: list[Path]) -> Run:
    command = [sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(project), *map(str, lessons)]
    return measure(command, project)


def synthetic_course(destination: Path, size: int) -> list[Path]:
    """The real site with its lesson replaced by ``size`` copies, each with its own code."""
    copy_project(destination)
    lesson = (ROOT / LESSON).read_text(encoding="utf-8")
    ranking = (ROOT / "snippets" / "trend_ranking.py").read_text(encoding="utf-8")
    charts = (ROOT / "snippets" / "trend_charts.py").read_text(encoding="utf-8")
    (destination / LESSON).unlink()
    lessons, nav = [], []
    for i in range(1, size + 1):
        ranking_name, charts_name = f"trend_ranking_{i}", f"trend_charts_{i}"
        (destination / "snippets" / f"{ranking_name}.py").write_text(ranking, encoding="utf-8")
        (destination / "snippets" / f"{charts_name}.py").write_text(
            charts.replace("\nimport trend_ranking\n", f"\nimport {ranking_name} as trend_ranking\n"), encoding="utf-8"
        )
        text = (
            lesson.replace("snippets/trend_ranking.py", f"snippets/{ranking_name}.py")
            .replace("from trend_charts import", f"from {charts_name} import")
            .replace("12.2.6 Latest Progress", f"Lesson {i}")
        )
        path = Path("docs/lessons") / f"lesson-{i:03d}.md"
        (destination / path).write_text(text, encoding="utf-8")
        lessons.append(path)
        nav.append(f"  - Lesson {i}: lessons/lesson-{i:03d}.md\n")
    config = destination / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(NAV_LINE, "".join(nav)), encoding="utf-8")
    return lessons


def edit_prose(project: Path, lesson: Path, round_number: int) -> None:
    path = project / lesson
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Summary\n", f"## Summary\n\nEdited prose, round {round_number}.\n", 1), encoding="utf-8")


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def verdict(value: float, limit: float) -> str:
    return f"(target <= {limit:g}: {'met' if value <= limit else 'missed'})"


def bench_real_site(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        project = copy_project(Path(folder))
        floors, builds = [], []
        for _ in range(runs):  # in turn, so a slow spell of the machine weighs on all
            floors.append(floor(project, [LESSON]))
            builds.append(clean_build(project))
        floor_run, build_run = median(floors), median(builds)
        memory_run = clean_build(project, sample_memory=True)
    ratio = build_run.seconds / floor_run.seconds
    print(f"Real site, medians of {runs} runs")
    print(f"  floor (benchmarks/floor.py, the lesson)  {floor_run.seconds:6.2f} s")
    print(f"  clean strict build                       {build_run.seconds:6.2f} s  {ratio:4.2f} x floor {verdict(ratio, 1.3)}")
    print(f"  peak memory of the build and its snippets {memory_run.peak_mb:5.0f} MB")


def bench_course(sizes: list[int], runs: int) -> None:
    print(f"\nSynthetic course, medians of {runs} runs (peak MB: a clean build and its snippets, summed)")
    print(
        f"  {'lessons':>7} {'floor s':>8} {'clean s':>8} {'x floor':>8} {'plain s':>8} {'x floor':>8}"
        f" {'rebuild s':>10} {'x clean':>8} {'prose s':>8} {'x clean':>8} {'peak MB':>8}"
    )
    clean_times: dict[int, float] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-course-{size}-") as folder:
            project = Path(folder)
            lessons = synthetic_course(project, size)
            floors, cleans, plains, rebuilds, edits = [], [], [], [], []
            for round_number in range(runs):
                floors.append(floor(project, lessons))
                cleans.append(clean_build(project))
                plains.append(plain_build(project))
                rebuilds.append(mkdocs_build(project))
                edit_prose(project, lessons[0], round_number)
                edits.append(mkdocs_build(project))
            memory = clean_build(project, sample_memory=True)
            finished = finished_pages(project, lessons, Path(folder + "-finished"))
            try:
                drawn = median([plain_build(finished) for _ in range(runs)])
            finally:
                shutil.rmtree(finished)
        f, c, p, r, e = map(median, (floors, cleans, plains, rebuilds, edits))
        clean_times[size] = c.seconds
        peak = max(memory.peak_mb, r.peak_mb, e.peak_mb)
        print(
            f"  {size:7d} {f.seconds:8.2f} {c.seconds:8.2f} {c.seconds / f.seconds:8.2f} {p.seconds:8.2f}"
            f" {p.seconds / f.seconds:8.2f} {r.seconds:10.2f}"
            f" {r.seconds / c.seconds:8.2f} {e.seconds:8.2f} {e.seconds / c.seconds:8.2f} {peak:8.0f}"
        )
        if size == max(sizes):
            largest = (size, c, r, f, p, drawn, peak)
    size, c, r, f, p, drawn, peak = largest
    print(f"\nTargets for the {size}-lesson course:")
    print(f"  clean build / its floor        {c.seconds / f.seconds:5.2f} {verdict(c.seconds / f.seconds, 1.3)}")
    print(f"  rebuild, nothing changed / clean {r.seconds / c.seconds:5.2f} {verdict(r.seconds / c.seconds, 0.2)}")
    print(
        f"    plain MkDocs on the finished pages: {drawn.seconds:.2f} s = {drawn.seconds / c.seconds:.2f} x this clean"
        f" build, {drawn.seconds / p.seconds:.2f} x plain MkDocs' clean build (least a rebuild that renders every page takes)"
    )
    print(f"  peak memory                    {peak:5.0f} MB {verdict(peak, 250)}")
    if 10 in clean_times and 100 in clean_times:
        growth = clean_times[100] / clean_times[10]
        print(f"  growth time(100) / time(10)    {growth:5.2f} {verdict(growth, 10.5)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per synthetic-course figure")
    parser.add_argument("--site-runs", type=int, default=9, help="runs per real-site figure")
    parser.add_argument("--sizes", default="1,10,50,100", help="course sizes, comma-separated")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    bench_real_site(args.site_runs)
    bench_course([int(n) for n in args.sizes.split(",")], args.runs)


if __name__ == "__main__":
    main()
