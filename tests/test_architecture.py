"""Rules over the source itself: one reader of the clock."""

from __future__ import annotations

import ast
from pathlib import Path

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
