defmodule BadMapError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "Raised when a map operation was given something else."
  defexception [:term]

  @impl true
  def message(exception), do: "expected a map, got: #{inspect(exception.term)}"
end
