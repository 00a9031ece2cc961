"""Commands declared where they are written: each body carries its own arguments, and the parser is
built from the declarations in the order the command modules are read."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from app.config import default_database


@dataclass(frozen=True)
class Argument:
    flags: tuple[str, ...]
    options: dict[str, Any]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    handler: Callable[[argparse.Namespace], None]
    arguments: tuple[Argument, ...]
    group: str | None = None


@dataclass
class Registry:
    groups: dict[str, str] = field(default_factory=dict)   # group name -> its help, as declared
    commands: list[Command] = field(default_factory=list)


REGISTRY = Registry()


def arg(*flags: str, **options: Any) -> Argument:
    """One argument of a command, as argparse's add_argument takes it."""
    return Argument(flags, options)


def group(name: str, help_text: str) -> str:
    """A family of commands (`python -m app meetings list`); returns its name for `command(group=…)`."""
    REGISTRY.groups[name] = help_text
    return name


def command(name: str, help_text: str, *arguments: Argument, group: str | None = None):
    """Declare the decorated function as a command with these arguments (every command also takes
    --db and --user)."""
    def declare(handler: Callable[[argparse.Namespace], None]) -> Callable[[argparse.Namespace], None]:
        REGISTRY.commands.append(Command(name, help_text, handler, arguments, group))
        return handler
    return declare


def build_parser(prog: str, description: str, modules: list[ModuleType]) -> argparse.ArgumentParser:
    """The parser of every declared command, listed module by module in the order given."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    top = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh")
    families: dict[str, Any] = {}
    order = {module.__name__: position for position, module in enumerate(modules)}
    for declared in sorted(REGISTRY.commands, key=lambda declared: order[declared.handler.__module__]):
        parent = top
        if declared.group is not None:
            if declared.group not in families:
                family = top.add_parser(declared.group, help=REGISTRY.groups[declared.group])
                families[declared.group] = family.add_subparsers(dest="action", metavar="VIỆC", required=True)
            parent = families[declared.group]
        sub = parent.add_parser(declared.name, help=declared.help, description=declared.help)
        sub.add_argument("--db", default=str(default_database()), help="đường dẫn tệp SQLite hoặc postgresql://…")
        sub.add_argument("--user", help="tên đăng nhập (mật khẩu lấy từ TUYENGIAO_PASSWORD hoặc hỏi khi chạy)")
        for argument in declared.arguments:
            sub.add_argument(*argument.flags, **argument.options)
        sub.set_defaults(handler=declared.handler)
    return parser
