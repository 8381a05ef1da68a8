"""The document kinds, one object each (catalogue data, planning, sample context), grouped by
what a document is about: :mod:`.organization`, :mod:`.people`, :mod:`.pairs`. Adding a kind
means its template and an entry in one of these modules."""
