"""UART data and status registers, one layout per chip family.

A write to the data register sends one byte through the UART model; a read takes one
received byte (0 when none). The status register says the transmitter is always ready
(the model takes bytes at once; baud-rate pacing belongs to the model) and whether a
received byte is waiting. Baud, control and interrupt registers are not modelled.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .registers import RegisterBlock

# STM32 USART_SR bits (RM0090 30.6.1).
USART_RXNE, USART_TC, USART_TXE = 1 << 5, 1 << 6, 1 << 7
# PL011 UARTFR bits (ARM PrimeCell UART TRM 3.3.3).
PL011_RXFE, PL011_TXFE = 1 << 4, 1 << 7
ESPRESSIF_RX_FIFO_BYTES = 128


class UartLayout(NamedTuple):
    data: int
    status: int
    flags: Callable[[int], int]  # status register from the number of bytes waiting


# UART_FIFO_REG, UART_STATUS_REG: RXFIFO_CNT in the low bits, TXFIFO_CNT (from bit 16)
# stays 0 (room to send). Same offsets on the ESP32 (TRM 13.5) and the ESP32-C3 (TRM 26.5).
ESPRESSIF = UartLayout(data=0x00, status=0x1C,
                       flags=lambda waiting: min(waiting, ESPRESSIF_RX_FIFO_BYTES))

LAYOUTS = {
    "stm32_usart": UartLayout(data=0x04, status=0x00, flags=lambda waiting:
                              USART_TXE | USART_TC | (USART_RXNE if waiting else 0)),
    "rp2040_uart": UartLayout(data=0x000, status=0x018, flags=lambda waiting:  # PL011
                              PL011_TXFE | (0 if waiting else PL011_RXFE)),
    "esp32_uart": ESPRESSIF,
    "esp32c3_uart": ESPRESSIF,
}


def uart_registers(layout: UartLayout, uart: Any) -> RegisterBlock:
    """Front-end of one UART window over ``uart`` (``write(bytes)``, ``read(n)``, ``pending()``)."""
    def receive() -> int:
        data = uart.read(1)
        return data[0] if data else 0

    return RegisterBlock(
        reads={layout.data: receive, layout.status: lambda: layout.flags(uart.pending())},
        writes={layout.data: lambda value: uart.write(bytes((value & 0xFF,)))})
