"""The template language: Jinja in a sandbox, as Word templates use it.

Stands on :mod:`reportgen.docx` (the package floor); the renderer and the linter both
stand on it. :mod:`.environment` (the sandbox and how output is written as Word XML),
:mod:`.filters` (the filter table), :mod:`.undefined` (strict undefined names, failing
with the name as structure), :mod:`.explain` (Jinja's errors in Chinese),
:mod:`.lexer` and :mod:`.tags` (tags in a paragraph, one tag read),
:mod:`.structure` (what loses content whatever the data), :mod:`.locate` (the tag a
rendering failure came from).
"""
