"""One module per custom recognizer; each module lists its classes in ``RECOGNIZERS``.

The engine discovers the modules of this package, so adding a detector means
adding one module here (and a mapping for its entity in every rule set).
"""
