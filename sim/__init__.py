"""avmsim: AtomVM applications on simulated microcontroller boards."""
