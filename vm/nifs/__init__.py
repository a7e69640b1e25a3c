"""AtomVM BIFs and NIFs implemented in Python; each module registers itself on import."""
