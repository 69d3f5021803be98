"""The Word package floor: a .docx as a zip of parts, read and written safely.

Below the template language and the renderer, above nothing of reportgen's but
:mod:`reportgen.errors`: :mod:`.constants` (names from python-docx's ``opc`` layer,
defined once), :mod:`.package` (reading entries, the normalised package),
:mod:`.zipwriter` (writing a package from entries kept compressed),
:mod:`.files` (atomic file writes) and :mod:`.paragraphs` (the text of each part as
paragraphs with their places, as a clerk finds them).
"""
