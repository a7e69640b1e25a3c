# Blink the board's LED from Elixir, once a second, printing each change. The LED pin
# depends on the board: GPIO 2 on ESP32 DevKits, PB0 on the Nucleo, GPIO 25 on the Pico.
# Run it with:
#   avmsim firmware_images/elixir_blink.avm
defmodule Blink do
  @led_pins %{esp32: 2, stm32: {:b, 0}, pico: 25}

  def start do
    platform = :atomvm.platform()

    case Map.fetch(@led_pins, platform) do
      {:ok, pin} ->
        :ok = GPIO.init(pin)
        :ok = GPIO.set_pin_mode(pin, :output)
        loop(pin, :low)

      :error ->
        IO.puts("blink: no LED known on platform #{inspect(platform)}")
        {:error, {:unsupported_platform, platform}}
    end
  end

  defp loop(pin, level) do
    IO.puts("Setting pin #{inspect(pin)} #{level}")
    :ok = GPIO.digital_write(pin, level)
    Process.sleep(1000)
    loop(pin, toggle(level))
  end

  defp toggle(:low), do: :high
  defp toggle(:high), do: :low
end
