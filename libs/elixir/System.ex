defmodule System do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Time, unique integers and stopping the VM. On the device there is no operating system:
  no environment variables, command line or shell commands.
  """

  @type time_unit :: :second | :millisecond | :microsecond | :nanosecond | :native | pos_integer()

  @doc "The VM's monotonic clock (native unit)."
  def monotonic_time, do: :erlang.monotonic_time()

  @doc "The VM's monotonic clock in `unit`."
  def monotonic_time(unit), do: :erlang.monotonic_time(unit)

  @doc "Wall-clock time (native unit)."
  def system_time, do: :erlang.system_time()

  @doc "Wall-clock time in `unit`."
  def system_time(unit), do: :erlang.system_time(unit)

  @doc "The operating system's wall clock (the board's clock here), native unit."
  def os_time, do: :os.system_time()

  @doc "The board's wall clock in `unit`."
  def os_time(unit), do: :os.system_time(unit)

  @doc "`time` in `from_unit` converted to `to_unit` (rounded down)."
  def convert_time_unit(time, from_unit, to_unit), do: :erlang.convert_time_unit(time, from_unit, to_unit)

  @doc "An integer unique in this VM run (`[:positive, :monotonic]` as options)."
  def unique_integer(modifiers \\ []), do: :erlang.unique_integer(modifiers)

  @doc "The number of schedulers (cores the VM runs processes on)."
  def schedulers_online, do: :erlang.system_info(:schedulers_online)

  @doc "The OTP release the VM claims to be compatible with."
  def otp_release, do: :erlang.list_to_binary(:erlang.system_info(:otp_release))

  @doc "Stop the VM now with `status` (0 when it ended well)."
  def halt(status \\ 0), do: :erlang.halt(status)

  @doc "Stop the VM with `status` (no applications to stop on the device)."
  def stop(status \\ 0), do: :erlang.halt(status)
end
