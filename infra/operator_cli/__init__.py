"""``vitrine-operator``: the platform operator's command line (``cli``)."""
