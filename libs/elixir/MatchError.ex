defmodule MatchError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "Raised when the right side of = did not match."
  defexception [:term]

  @impl true
  def message(exception), do: "no match of right hand side value: #{inspect(exception.term)}"
end
