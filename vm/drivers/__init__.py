"""Port drivers and device NIFs: the VM's side of the board's peripherals.

They translate AtomVM's terms and port messages into calls on the peripheral models that the
board wiring hands to the VM as ``vm.devices`` (see ``avmsim.devices``); they know nothing of
a particular board.
"""
