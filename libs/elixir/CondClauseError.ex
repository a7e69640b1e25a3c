defmodule CondClauseError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "No `cond` clause was truthy."
  defexception []

  @impl true
  def message(_exception), do: "no cond clause evaluated to a truthy value"
end
