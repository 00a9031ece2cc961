"""Sổ Tuyên giáo: the propaganda office's register of dissemination, materials and reported cases."""

__version__ = "0.1.0"
