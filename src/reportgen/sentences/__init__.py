"""Sentences: the finished Chinese text that carries computed figures (叙述语句).

One floor above :mod:`reportgen.compute` (which returns figures only) and
:mod:`reportgen.formatting` (which writes a figure as a document prints it).
"""
