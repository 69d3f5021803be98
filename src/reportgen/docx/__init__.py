"""The Word package floor: a .docx as a zip of parts, read and written safely.

Below the template language and the renderer, above nothing of reportgen's but
:mod:`reportgen.errors` and :mod:`reportgen.textrules`:

* reading: :mod:`.constants` (names from python-docx's ``opc`` layer, defined once),
  :mod:`.package` (reading entries safely, the normalised package), :mod:`.formats`
  (.dotx, .docm, .dotm read as a .docx; other files named), :mod:`.paragraphs` (the
  text of each part as paragraphs with their places, as a clerk finds them) and
  :mod:`.targets` (the addresses of a part's relationships, read as text);
* reconciling what docxtpl's loops break: :mod:`.reconcile` (one pass over a rendered
  package or its parts), :mod:`.marks` (marks set before rendering where tag
  paragraphs go, settled after it), :mod:`.liststyles` (lists numbered by a style),
  :mod:`.notes` (a note for each repeated reference), :mod:`.external` (targets
  outside the document removed) and :mod:`.lines` (line breaks a tag writes made
  paragraphs);
* writing: :mod:`.zipwriter` (a package from entries kept compressed) and
  :mod:`.files` (atomic file writes).
"""
