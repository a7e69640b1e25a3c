defprotocol Collectable do
  @moduledoc """
  The protocol `Enum.into/2` and `for ... into:` fill collections through, as in
  Elixir: `into/1` gives the starting accumulator and a function that takes
  `{:cont, element}`, then `:done` (the result) or `:halt` (on failure).
  """
  @compile {:autoload, false}

  @doc "Gives `{initial_acc, collector_fun}` for filling `collectable`."
  def into(collectable)
end
