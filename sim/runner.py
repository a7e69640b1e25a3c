"""Boot a board and run an app on it, as AtomVM's firmware does.

The standard library pack goes into the ``boot_avm`` partition and the app (its .avm, or
the given files packed together) into ``main_avm``. The VM reads both back from flash.
The start module is the app pack's first module flagged BEAM_START, as in AtomVM, and it
is run the way AtomVM boots: the first process calls ``init:boot([<<"-s">>, StartModule])``
from the standard library, which calls ``StartModule:start()``.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Callable

from avmsim.boards import Board
from avmsim.vm.avm_pack import build_pack
from avmsim.vm.errors import NoStartModuleError
from avmsim.vm.terms import atom, from_list
from avmsim.vm.vm import VM

from .clock import DEFAULT_EPOCH_S, VirtualClock
from .machine import Machine

STDLIB_IMAGE = "atomvmlib.avm"
SUCCESS_RESULTS = (atom("ok"), 0)


def succeeded(value: Any) -> bool:
    """AtomVM counts a start/0 that returns ``ok`` or ``0`` as success."""
    return value is SUCCESS_RESULTS[0] or (value.__class__ is int and value == 0)


def stdlib_image() -> bytes:
    """The shipped standard library pack (built by scripts/build_stdlib.py)."""
    return resources.files("avmsim.firmware_images").joinpath(STDLIB_IMAGE).read_bytes()


def app_image(inputs: list[str]) -> bytes:
    """The app pack to flash: a lone .avm as it is, anything else packed together."""
    if len(inputs) == 1 and inputs[0].endswith(".avm"):
        return Path(inputs[0]).read_bytes()
    return build_pack(inputs)


def boot(board: Board, inputs: list[str], console_write: Callable[[bytes], None],
         epoch_s: int = DEFAULT_EPOCH_S, realtime: float | None = None,
         max_ram: int | None = None) -> tuple[VM, Any]:
    """Flash the library and the app, start the VM and spawn the start module's start/0."""
    machine = Machine(board, VirtualClock(board.clock_hz, board.cores, epoch_s, realtime), max_ram)
    machine.write_partition("boot_avm", stdlib_image(), STDLIB_IMAGE)
    app_origin = inputs[0] if len(inputs) == 1 else " + ".join(inputs)
    machine.write_partition("main_avm", app_image(inputs), app_origin)
    vm = VM(console_write, machine.clock, word_size=board.word_size, platform=board.platform,
            cores=board.cores, cycles_per_instruction=board.cycles_per_instruction,
            system_architecture=f"{board.core}-avmsim-{board.platform}", ram=machine.ram)
    vm.add_pack(machine.read_partition("boot_avm"), STDLIB_IMAGE, start_modules=False)
    vm.add_pack(machine.read_partition("main_avm"), app_origin)
    if not vm.start_candidates:
        raise NoStartModuleError(f"{app_origin}: no module is flagged as start module "
                                 "(none exports start/0); pack it with --start MODULE")
    start = vm.spawn_start(atom("init"), atom("boot"), [from_list([b"-s", vm.start_candidates[0]])])
    return vm, start

