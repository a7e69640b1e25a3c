defmodule Console do
  @moduledoc """
  Writing text to the board's console without the io server: the cheapest way to print on
  a microcontroller. Nothing is appended (no newline); terms must be turned into text first.
  """
  @compile {:no_warn_undefined, [:console]}

  @doc "Write `text` (binary or charlist) straight to the console."
  @spec print(iodata()) :: :ok | {:error, term()}
  def print(text), do: :console.print(text)

  @doc """
  Write `text` through the console port registered as `device` (`:stdio` by default, which
  is opened and registered on first use).
  """
  @spec puts(atom(), iodata()) :: :ok | {:error, term()}
  def puts(device \\ :stdio, text) do
    case console_port(device) do
      :error -> :error
      port -> AVMPort.call(port, {:puts, text})
    end
  end

  @doc "Wait until what was written through `console` has gone out."
  @spec flush(pid() | port()) :: :ok | {:error, term()}
  def flush(console \\ :erlang.whereis(:stdio)), do: AVMPort.call(console, :flush)

  defp console_port(device) do
    case {:erlang.whereis(device), device} do
      {:undefined, :stdio} -> open_stdio()
      {:undefined, _} -> :error
      {port, _} -> port
    end
  end

  defp open_stdio do
    port = AVMPort.open({:spawn, "console"}, [])
    :erlang.register(:stdio, port)
    port
  end
end
