"""What a text or a sentence says, used by every stage.

Cleaning (``clean``), offsets back into the source (``textmap``), sentences,
terms, language identification, the spaCy parse (``nlp``), sentence embeddings
(``embed``), figures and their units, time expressions, places; ``resources``
loads the heavy models and data, lazily and once.
"""
