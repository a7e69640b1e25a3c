defmodule BadBooleanError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "`and` / `or` was given a left side that is not a boolean."
  defexception [:term, :operator]

  @impl true
  def message(exception) do
    "expected a boolean on left-side of \"#{exception.operator}\", got: #{inspect(exception.term)}"
  end
end
