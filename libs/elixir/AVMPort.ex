defmodule AVMPort do
  @moduledoc """
  Talking to AtomVM port processes (console, drivers) from Elixir: opening one and sending
  it a request that expects a reply, as the Erlang `port` module does.
  """
  @compile {:no_warn_undefined, [:port]}

  @doc "Send `message` to the port `pid` and wait for its reply."
  @spec call(pid() | port(), term()) :: term()
  def call(pid, message), do: :port.call(pid, message)

  @doc "As `call/2`, giving up after `timeout_ms` milliseconds (`{:error, :timeout}`)."
  @spec call(pid() | port(), term(), non_neg_integer() | :infinity) :: term()
  def call(pid, message, timeout_ms), do: :port.call(pid, message, timeout_ms)

  @doc "Open the port `name` (e.g. `{:spawn, \"console\"}`) with `options`."
  @spec open(term(), list()) :: pid() | port()
  def open(name, options), do: :erlang.open_port(name, options)
end
