"""Every bus device model a parts file can name, by its ``model = "…"``.

One table, so that the parts file, the Python API and the docs list the same models. A
model module defines one :class:`~avmsim.peripherals.device_model.DeviceModel` subclass and
is added here under its :attr:`MODEL` name.
"""
from __future__ import annotations

from avmsim.peripherals.at24c32 import At24c32
from avmsim.peripherals.bme280 import Bme280, Bme280Spi
from avmsim.peripherals.device_model import DeviceModel
from avmsim.peripherals.generic_device import GenericDevice, GenericSpiDevice
from avmsim.peripherals.lis3dh import Lis3dh, Lis3dhSpi
from avmsim.peripherals.sht31 import Sht31
from avmsim.peripherals.ssd1306 import Ssd1306, Ssd1306Spi

_MODELS: tuple[type[DeviceModel], ...] = (
    Sht31,
    At24c32,
    GenericDevice,
    GenericSpiDevice,
    Bme280,
    Bme280Spi,
    Lis3dh,
    Lis3dhSpi,
    Ssd1306,
    Ssd1306Spi,
)

DEVICE_MODELS: dict[str, type[DeviceModel]] = {cls.MODEL: cls for cls in _MODELS}
