"""The app's colours, named once: what a colour means is decided here, not on each page."""

from __future__ import annotations

ERROR = "#b00020"           # a refusal, a figure under the target
GOOD = "#1b5e20"            # a figure at or above the target; present
WARNING = "#8a5a00"         # excused; a deadline near
MUTED = "#777777"           # a session not held, a line that no longer counts
OVERDUE = "#8a0010"         # a case past its deadline
UNDER_TARGET_BACKGROUND = "#fde2e1"   # a row whose rate is under the target
OVERDUE_BACKGROUND = "#f8d7da"        # a case past its deadline
SOON_BACKGROUND = "#fff3cd"           # a deadline within the week

ERROR_STYLE = f"color: {ERROR};"      # the style sheet of an error label
