defmodule CaseClauseError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "Raised when no case clause matched the value."
  defexception [:term]

  @impl true
  def message(exception), do: "no case clause matching: #{inspect(exception.term)}"
end
