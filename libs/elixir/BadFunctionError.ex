defmodule BadFunctionError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "Raised when something that is not a function is called."
  defexception [:term]

  @impl true
  def message(exception), do: "expected a function, got: #{inspect(exception.term)}"
end
