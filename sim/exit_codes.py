"""Exit statuses of the ``avmsim`` command: one per kind of outcome, so CI can branch on them."""
from enum import IntEnum


class Exit(IntEnum):
    OK = 0                   # start/0 returned ok (or 0)
    APP_FAILED = 1           # the app crashed, or start/0 returned something else
    USAGE = 2                # bad command line (argparse's own status)
    OUT_OF_MEMORY = 3        # the board ran out of RAM where AtomVM aborts
    MEMORY_CEILING = 4       # a peak exceeded the --memory-ceiling file
    FILE_NOT_FOUND = 5       # an input file does not exist or cannot be read
    BAD_PACK = 6             # an .avm that is truncated, corrupt or not a pack
    BAD_BEAM = 7             # a .beam that is truncated or corrupt
    UNSUPPORTED_OPCODE = 8   # obsolete or unimplemented opcode, -on_load
    NO_START_MODULE = 9      # nothing exports start/0
    UNKNOWN_BOARD = 10       # --board names no board
    VM_ABORT = 11            # the VM stopped as AtomVM would abort (e.g. deadlock)
    IMAGE_TOO_LARGE = 12     # a pack does not fit its flash partition
    NOT_AN_INPUT = 13        # a file that is neither .avm nor .beam
    TIMEOUT = 42             # --timeout expired (Wokwi's convention)
    INTERNAL_ERROR = 70      # a bug in avmsim itself
