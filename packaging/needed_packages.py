"""Prints the names of every installed distribution the project needs, its `test` and `build` extras included
(what `tasks.py lock` keeps from pip freeze: tools installed by hand stay out of constraints.txt)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def needed(root: str = "tuyengiao", extras: frozenset[str] = frozenset({"test", "build"})) -> set[str]:
    seen: set[str] = set()
    todo = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        key = canonicalize_name(name)
        if key in seen:
            continue
        try:
            requirements = distribution(name).requires or []
        except PackageNotFoundError:   # a dependency for another platform (pywin32 on Linux)
            continue
        seen.add(key)
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is None or any(requirement.marker.evaluate({"extra": extra})
                                                 for extra in wanted | {""}):
                todo.append((requirement.name, frozenset(requirement.extras)))
    return seen - {canonicalize_name(root)}


if __name__ == "__main__":
    print(" ".join(sorted(needed())))
