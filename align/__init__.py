"""Bilingual sentence alignment of UN documents into translation memories (TMX)."""

__version__ = "0.1.0"
