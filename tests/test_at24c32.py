"""The AT24C32 model (avmsim.peripherals.at24c32) against its datasheet: 2-byte word address,
32-byte pages that roll over, reads that roll over at the end of memory, the 10 ms write
cycle with acknowledge polling, non-volatile cells that are 0xFF when new."""
from __future__ import annotations

import pytest
from avmsim.peripherals.at24c32 import At24c32
from avmsim.peripherals.device_model import PropertyError
from avmsim.peripherals.i2c import I2cBus
from avmsim.trace import TraceBus

MS = 1_000_000
ADDR = 0x50


class Rig:
    def __init__(self, **props: object) -> None:
        self.t = 0
        self.bus = I2cBus("i2c:GPIO21/GPIO22", TraceBus(lambda: self.t), lambda: self.t)
        self.chip = At24c32("eeprom", props)
        self.bus.attach(self.chip)

    def xfer(self, write: bytes = b"", read: int = 0, address: int = ADDR):
        result = self.bus.transfer(address, write=write, read=read)
        self.t += result.duration_ns
        return result

    def write(self, cell: int, data: bytes) -> None:
        assert self.xfer(cell.to_bytes(2, "big") + data).written == 2 + len(data)
        self.t += 10 * MS                                   # tWR

    def read(self, cell: int, count: int) -> bytes:
        return self.xfer(cell.to_bytes(2, "big"), read=count).data


def test_a_new_chip_reads_ff() -> None:
    assert Rig().read(0x0123, 4) == b"\xff" * 4


def test_byte_write_then_acknowledge_polling_for_the_write_cycle() -> None:
    rig = Rig()
    rig.xfer(b"\x00\x10\x42")
    stop = rig.t                                # the write cycle starts at the STOP
    assert not rig.xfer().ack                   # busy: the address is not acknowledged
    # a poll is answered when its address byte's ACK bit (START + 9 clocks = 100 us at
    # 100 kHz after the poll starts) comes after the 10 ms write cycle
    rig.t = stop + 10 * MS - 100_000 - 1
    assert not rig.xfer().ack
    rig.t = stop + 10 * MS - 100_000
    assert rig.xfer().ack
    assert rig.read(0x0010, 1) == b"\x42"


def test_a_dummy_write_starts_no_write_cycle() -> None:
    rig = Rig()
    rig.xfer(b"\x00\x10")
    assert rig.xfer(read=1).ack


def test_a_page_write_rolls_over_within_its_page() -> None:
    rig = Rig()
    rig.write(0x001E, b"\x01\x02\x03\x04")
    assert rig.read(0x001E, 2) == b"\x01\x02"
    assert rig.read(0x0000, 2) == b"\x03\x04"   # rolled over to the page's first bytes
    assert rig.read(0x0020, 1) == b"\xff"       # the next page is untouched


def test_33_bytes_to_one_page_overwrite_its_first_byte() -> None:
    rig = Rig()
    rig.write(0x0040, bytes(range(33)))
    assert rig.read(0x0040, 32) == bytes([32]) + bytes(range(1, 32))


def test_sequential_reads_roll_over_at_the_end_of_memory() -> None:
    rig = Rig()
    rig.write(0x0FFE, b"\xaa\xbb")
    rig.write(0x0000, b"\xcc")
    assert rig.read(0x0FFE, 4) == b"\xaa\xbb\xcc\xff"


def test_current_address_read_goes_on_from_the_last_access() -> None:
    rig = Rig()
    rig.write(0x0100, b"\x10\x11\x12\x13")
    assert rig.read(0x0100, 2) == b"\x10\x11"
    assert rig.xfer(read=2).data == b"\x12\x13"  # no word address: the counter goes on


def test_the_top_four_address_bits_are_dont_care() -> None:
    rig = Rig()
    rig.write(0xF010, b"\x5a")
    assert rig.read(0x0010, 1) == b"\x5a"


def test_contents_survive_a_reset_and_move_with_state() -> None:
    rig = Rig(address=0x57)
    rig.xfer(b"\x02\x00\x99", address=0x57)
    rig.t += 10 * MS
    kept = rig.chip.state()
    rig.chip.reset()                            # power-on: the address counter is 0
    assert rig.xfer(read=1, address=0x57).data == b"\xff"
    assert rig.chip.cells[0x200] == 0x99
    other = At24c32("copy", {"address": 0x51})
    other.restore(kept)
    assert other.cells[0x200] == 0x99 and other.cells.count(0xFF) == 4095


def test_address_is_0x50_to_0x57() -> None:
    assert not Rig(address=0x53).xfer().ack
    assert Rig(address=0x53).xfer(address=0x53).ack
    with pytest.raises(PropertyError, match="address"):
        At24c32("bad", {"address": 0x58})
