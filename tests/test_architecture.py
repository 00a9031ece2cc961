"""Rules over the source itself: one reader of the clock, layers that point down, no circles."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
CLOCK = ROOT / "app" / "clock.py"

# (object, method) pairs that read the system's calendar or wall clock.
CLOCK_READS = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
               ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
               ("QDate", "currentDate"), ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"),
               ("QDateTime", "currentMSecsSinceEpoch"), ("QDateTime", "currentSecsSinceEpoch"),
               ("QTime", "currentTime")}


def python_files() -> list[Path]:
    return [path for folder in ("app", "tests", "bench") for path in sorted((ROOT / folder).rglob("*.py"))]


def clock_reads(source: str) -> list[str]:
    """Each call such as `date.today()` in a module's source, as "line: date.today()"."""
    return [f"{node.lineno}: {node.func.value.id}.{node.func.attr}()" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and (node.func.value.id, node.func.attr) in CLOCK_READS]


def test_only_the_clock_module_reads_the_system_clock():
    reads = [f"{path.relative_to(ROOT)}:{read}" for path in python_files() if path != CLOCK
             for read in clock_reads(path.read_text(encoding="utf-8"))]
    assert reads == [], "đọc đồng hồ hệ thống ngoài app/clock.py:\n" + "\n".join(reads)


def test_the_rule_sees_each_way_of_reading_the_clock():
    source = "day = date.today()\nat = datetime.now(UTC)\nq = QDate.currentDate()\nfine = clock.today()\n"
    assert clock_reads(source) == ["1: date.today()", "2: datetime.now()", "3: QDate.currentDate()"]


def import_circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that import one another round a circle (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        circles.append(sorted(group))
    return circles


def test_no_modules_import_one_another_round_a_circle():
    graph = grimp.build_graph("app", exclude_type_checking_imports=True)
    assert import_circles(graph) == []


def test_the_circle_finder_finds_a_circle():
    graph = grimp.ImportGraph()
    for importer, imported in [("m.a", "m.b"), ("m.b", "m.c"), ("m.c", "m.a"), ("m.d", "m.a"), ("m.e", "m.e2")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_circles(graph) == [["m.a", "m.b", "m.c"]]


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """import-linter's contracts of pyproject.toml over the `app` package in `folder`."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_contracts_catch_an_upward_import_and_qt_in_a_service(tmp_path):
    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / "app" / "services" / "numbers.py").open("a", encoding="utf-8") as module:
        module.write("\nfrom app.ui.qt import QDate  # noqa\nfrom app.services import meetings  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Qt only in the user interface BROKEN" in " ".join(result.stdout.split())
    assert "app.services.numbers -> app.services.meetings" in result.stdout
