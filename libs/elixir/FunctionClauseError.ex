defmodule FunctionClauseError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "No clause of a function matched its arguments."
  defexception [:module, :function, :arity, :kind, :args, :clauses]

  @impl true
  def message(%{function: nil}), do: "no function clause matches"

  def message(%{module: module, function: function, arity: arity}),
    do: "no function clause matching in #{Exception.format_mfa(module, function, arity)}"
end
