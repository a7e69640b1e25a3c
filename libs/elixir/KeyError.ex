defmodule KeyError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "A key was not found in a map or keyword list (`{:badkey, key}` and `Map.fetch!/2`)."
  defexception [:key, :term, :message]

  @impl true
  def message(%{message: nil, key: key, term: nil}), do: "key #{inspect(key)} not found"
  def message(%{message: nil, key: key, term: term}), do: "key #{inspect(key)} not found in: #{inspect(term)}"

  def message(%{message: message}), do: message
end
