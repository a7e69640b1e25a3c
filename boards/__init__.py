"""Board definitions as data."""
