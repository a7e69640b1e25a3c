"""Device models: GPIO, UART, buses and the chips on them."""
