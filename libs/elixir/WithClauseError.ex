defmodule WithClauseError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "Raised when no else clause of a with matched the value."
  defexception [:term]

  @impl true
  def message(exception), do: "no with clause matching: #{inspect(exception.term)}"
end
