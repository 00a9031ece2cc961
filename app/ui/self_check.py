"""`SoTuyenGiao --render-first-page REPORT.pdf PAGE.png`: what an installed copy needs to preview and print a
report, tried without a window. QtPdf renders the first page (as the preview draws it) into a PNG, the print
path (QtPrintSupport) prints every page into a PDF beside it, and QtCharts draws the overview's chart into a
second PNG. The bundle's test runs it; a support person can too."""

from __future__ import annotations

from pathlib import Path

from app.ui import charts, qt


def render_first_page(pdf: Path, png: Path) -> int:
    """0 when both worked; 1 with the reason printed."""
    from app.ui.pages.reports import print_pages

    document = qt.QPdfDocument(None)
    document.load(str(pdf))
    if document.pageCount() == 0:
        print(f"Không đọc được tệp PDF {pdf}: {document.error()}")
        return 1
    size = document.pagePointSize(0).toSize() * 2   # 144 dpi
    if not document.render(0, size).save(str(png)):
        print(f"Không ghi được ảnh {png}")
        return 1
    printer = qt.QPrinter(qt.QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(qt.QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(png.with_suffix(".in.pdf")))
    print_pages(document, printer)
    chart = charts.rate_by_month([f"{month}/26" for month in range(1, 13)], [90 + month / 2 for month in range(12)], 95)
    chart.resize(640, 300)
    if not chart.grab().save(str(png.with_suffix(".chart.png"))):
        print("Không vẽ được biểu đồ (QtCharts)")
        return 1
    print(f"Đã vẽ trang 1/{document.pageCount()} vào {png}, in thử vào {png.with_suffix('.in.pdf')} và vẽ biểu đồ "
          f"vào {png.with_suffix('.chart.png')}")
    return 0
