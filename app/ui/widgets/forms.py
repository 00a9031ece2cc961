"""A form whose fields show the service's ValidationError messages in place, in red."""

from __future__ import annotations

from app.ui import style
from app.ui.qt import QFormLayout, QLabel, QVBoxLayout, QWidget


class FieldForm(QFormLayout):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._errors: dict[str, QLabel] = {}
        self._boxes: dict[str, tuple[QWidget, QWidget]] = {}   # name -> (the field's box, the field)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(style.ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self._errors[name] = error
        self._boxes[name] = (box, widget)
        self.addRow(label, box)
        return widget

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Show each message under its field; return the messages that have no field here."""
        self.clear_errors()
        unplaced = []
        for name, message in errors.items():
            if name in self._errors:
                self._errors[name].setText(message)
                self._errors[name].show()
                self._make_room(name)
            else:
                unplaced.append(message)
        return unplaced

    def _make_room(self, name: str) -> None:
        """The field's row grows by the message's wrapped lines: a form inside a scroll area otherwise keeps
        the old height and draws the message over a tall field (a multi-line box)."""
        box, widget = self._boxes[name]
        label = self._errors[name]
        width = box.width() if box.width() > 50 else label.sizeHint().width()
        field = min(widget.sizeHint().height(), widget.maximumHeight())   # a fixed-height box: its height
        box.setMinimumHeight(field + 2 + label.heightForWidth(width))

    def clear_errors(self) -> None:
        for name, label in self._errors.items():
            label.clear()
            label.hide()
            self._boxes[name][0].setMinimumHeight(0)

    def error_text(self, name: str) -> str:
        return self._errors[name].text()


def run_action(form: FieldForm | None, parent: QWidget, action, place=None) -> bool:
    """Run one service call; show its refusal next to the fields (or in a box). True when it succeeded.

    `place(errors)` puts the messages where they belong and returns those with no place (the form's own
    fields by default, then `form` is needed); the caller has cleared the old ones."""
    from app.services.errors import ServiceError, ValidationError
    from app.ui.widgets.common import show_error

    if place is None:
        form.clear_errors()
        place = form.show_errors
    try:
        action()
    except ValidationError as error:
        rest = place(error.errors)
        if rest:
            show_error(parent, "\n".join(rest))
        return False
    except ServiceError as error:
        show_error(parent, str(error))
        return False
    return True
