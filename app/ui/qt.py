"""The one module that imports the Qt binding; the rest of app/ui imports from here."""

from PySide6.QtCore import (
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDate,
    QEventLoop,
    QIODevice,
    QLocale,
    QMargins,
    QModelIndex,
    QObject,
    QSettings,
    QSize,
    Qt,
    QTime,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QDesktopServices,
    QFont,
    QFontDatabase,
    QIcon,
    QKeySequence,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as is_valid  # does the C++ object behind a Python wrapper still exist?

__all__ = [
    "QAbstractButton", "QAbstractItemDelegate", "QAbstractItemView", "QAbstractTableModel", "QAction", "QApplication", "QBrush", "QCheckBox", "QColor",
    "QComboBox", "QDate", "QDateEdit", "QDialog", "QDialogButtonBox", "QEventLoop", "QFileDialog", "QFont", "QFontDatabase", "QIcon", "QFormLayout",
    "QFrame", "QGridLayout", "QGroupBox", "QHBoxLayout", "QHeaderView", "QInputDialog", "QKeySequence", "QLabel", "QLineEdit", "QListWidget",
    "QListWidgetItem", "QMainWindow", "QMessageBox", "QModelIndex", "QObject", "QPlainTextEdit", "QProgressDialog", "QPushButton",
    "QScrollArea", "QSettings", "QSize", "QSizePolicy", "QSpinBox", "QSplitter", "QStackedWidget", "QTableView",
    "QTableWidget", "QTableWidgetItem", "QTextBrowser", "QTimer", "QTreeWidget", "QTreeWidgetItem", "QVBoxLayout", "QWidget",
    "Qt", "Signal", "QTime", "QUrl", "QDesktopServices", "QTabWidget", "QTimeEdit",
    "QBuffer", "QByteArray", "QIODevice", "QPainter", "QCoreApplication", "QTranslator", "QLocale", "QMargins", "is_valid",
    # and, loaded late: QPdfDocument, QPdfView, QPrintDialog, QPrinter, and the charts (CHARTS below)
]

CHARTS = ("QChart", "QChartView", "QLineSeries", "QBarSeries", "QHorizontalBarSeries", "QBarSet", "QBarCategoryAxis",
          "QValueAxis")
_LATE = {"QPdfDocument": "PySide6.QtPdf", "QPdfView": "PySide6.QtPdfWidgets", "QPrintDialog": "PySide6.QtPrintSupport",
         "QPrinter": "PySide6.QtPrintSupport", **dict.fromkeys(CHARTS, "PySide6.QtCharts")}


def __getattr__(name: str):
    """QtPdf and QtPrintSupport load when the reports page first shows a document, QtCharts when the overview
    first draws a chart: not at start-up."""
    if name in _LATE:
        from importlib import import_module

        return getattr(import_module(_LATE[name]), name)
    raise AttributeError(name)
