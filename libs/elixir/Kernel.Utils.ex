defmodule Kernel.Utils do
  @moduledoc """
  The run-time helpers compiled Elixir code calls for some Kernel macros: `raise/1` and
  `reraise/2` with a value known only at run time, and `destructure/2`.
  """
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}

  @doc "The exception `raise value` raises: from a message, a module or an exception."
  def raise(message) when is_binary(message), do: RuntimeError.exception(message)
  def raise(module) when is_atom(module), do: module.exception([])
  def raise(%{__exception__: true} = exception), do: exception

  def raise(other) do
    ArgumentError.exception(
      "raise/1 and reraise/2 expect a module name, string or exception as the first " <>
        "argument, got: #{inspect(other)}"
    )
  end

  @doc "The first `count` elements of `list`, padded with nils (`destructure/2`)."
  def destructure(list, count) when is_list(list), do: take(list, count)
  def destructure(nil, count), do: take([], count)

  defp take(_list, 0), do: []
  defp take([head | tail], count), do: [head | take(tail, count - 1)]
  defp take([], count), do: [nil | take([], count - 1)]
end
