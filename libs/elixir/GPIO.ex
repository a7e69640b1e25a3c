defmodule GPIO do
  @compile {:no_warn_undefined, :gpio}
  @moduledoc """
  Pins as digital inputs and outputs, from Elixir. The pin functions (`set_pin_mode/2`,
  `digital_write/2`, ...) act directly; the handle functions (`open/0`, `set_int/3`, ...)
  go through the gpio driver, which is also what delivers `{:gpio_interrupt, pin}` messages.
  Each function is the Erlang `gpio` module's, so both languages see the same pins.
  """

  @type gpio_pin :: non_neg_integer() | {atom(), non_neg_integer()}
  @type direction :: :input | :output | :output_od
  @type digital_state :: :low | :high | 0 | 1
  @type pull :: :up | :down | :up_down | :floating
  @type trigger :: :none | :rising | :falling | :both | :low | :high

  @doc "The gpio driver handle, registered as `:gpio`; opened on first use."
  @spec open() :: pid() | port() | {:error, term()} | :error
  defdelegate open, to: :gpio, as: :start

  @doc "Remove the handle's interrupts and close it."
  defdelegate close(gpio), to: :gpio

  @doc "Close the registered handle."
  defdelegate stop, to: :gpio

  @doc "The level of an input pin, through the driver."
  defdelegate read(gpio, pin), to: :gpio

  @doc "Make a pin an input, output or open-drain output, through the driver."
  defdelegate set_direction(gpio, pin, direction), to: :gpio

  @doc "Drive an output pin `:high` or `:low`, through the driver."
  defdelegate set_level(gpio, pin, level), to: :gpio

  @doc "Send `{:gpio_interrupt, pin}` to the caller when `trigger` happens on `pin`."
  defdelegate set_int(gpio, pin, trigger), to: :gpio

  @doc "Stop the interrupt of `pin`."
  defdelegate remove_int(gpio, pin), to: :gpio

  @doc "`set_int/3` on the registered handle."
  defdelegate attach_interrupt(pin, trigger), to: :gpio

  @doc "`remove_int/2` on the registered handle."
  defdelegate detach_interrupt(pin), to: :gpio

  @doc "Make `pin` a GPIO (needed on the Pico only)."
  defdelegate init(pin), to: :gpio

  @doc "Release `pin` from GPIO use (the Pico only)."
  defdelegate deinit(pin), to: :gpio

  @doc "Make a pin an input, output or open-drain output."
  defdelegate set_pin_mode(pin, mode), to: :gpio

  @doc "Select the pin's internal pull resistor."
  defdelegate set_pin_pull(pin, pull), to: :gpio

  @doc "Drive an output pin `:high` or `:low`."
  defdelegate digital_write(pin, level), to: :gpio

  @doc "The level of an input pin."
  defdelegate digital_read(pin), to: :gpio

  @doc "Latch the pin's state (kept through resets and light sleep)."
  defdelegate hold_en(pin), to: :gpio

  @doc "Release a latched pin."
  defdelegate hold_dis(pin), to: :gpio

  @doc "Keep held pins latched during deep sleep."
  defdelegate deep_sleep_hold_en, to: :gpio

  @doc "Stop keeping held pins latched during deep sleep."
  defdelegate deep_sleep_hold_dis, to: :gpio
end
