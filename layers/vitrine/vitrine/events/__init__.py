"""Domain events: one envelope, one data model per event type, published on the ``vitrine`` bus."""
