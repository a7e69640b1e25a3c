defmodule BadArityError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "A fun was called with a number of arguments it does not take."
  defexception [:function, :args]

  @impl true
  def message(%{function: fun, args: args}) do
    {:arity, arity} = :erlang.fun_info(fun, :arity)
    "#{inspect(fun)} with arity #{arity} called with #{arguments(args)}"
  end

  defp arguments([]), do: "no arguments"
  defp arguments([arg]), do: "1 argument (#{inspect(arg)})"

  defp arguments(args) do
    shown = :lists.join(", ", :lists.map(&inspect/1, args))
    "#{length(args)} arguments (#{shown})"
  end
end
