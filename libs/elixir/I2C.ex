defmodule I2C do
  @compile {:no_warn_undefined, :i2c}
  @moduledoc """
  An I2C bus controller from Elixir: `open/1` with `scl:`, `sda:` and `clock_speed_hz:`, then
  transactions. Each function is the Erlang `i2c` module's, so results and error terms are
  the same in both languages.
  """

  @type address :: 0..127
  @type register :: non_neg_integer()

  @doc "Open the bus with `[scl: pin, sda: pin, clock_speed_hz: hz]` (and `peripheral:`)."
  defdelegate open(params), to: :i2c

  @doc "Close the bus."
  defdelegate close(driver), to: :i2c

  @doc "Start a write transaction to `address`; bytes follow, `end_transmission/1` sends."
  defdelegate begin_transmission(driver, address), to: :i2c

  @doc "Queue one byte of the transaction."
  defdelegate write_byte(driver, byte), to: :i2c

  @doc "Queue bytes of the transaction."
  defdelegate write_bytes(driver, data), to: :i2c

  @doc "Send the queued transaction."
  defdelegate end_transmission(driver), to: :i2c

  @doc "Read `count` bytes from `address`."
  defdelegate read_bytes(driver, address, count), to: :i2c

  @doc "Read `count` bytes from `register` of `address`."
  defdelegate read_bytes(driver, address, register, count), to: :i2c

  @doc "Write `data` (binary or byte) to `address`."
  defdelegate write_bytes(driver, address, data), to: :i2c

  @doc "Write `data` to `register` of `address`."
  defdelegate write_bytes(driver, address, register, data), to: :i2c
end
