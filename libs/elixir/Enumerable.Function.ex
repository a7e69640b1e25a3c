defimpl Enumerable, for: Function do
  @moduledoc """
  A two-argument function is a lazy collection (the shape Elixir's streams
  take): it is its own reduce.
  """
  @compile {:autoload, false}

  def count(_function), do: {:error, __MODULE__}
  def member?(_function, _value), do: {:error, __MODULE__}
  def slice(_function), do: {:error, __MODULE__}

  def reduce(function, acc, fun) when is_function(function, 2), do: function.(acc, fun)
end
