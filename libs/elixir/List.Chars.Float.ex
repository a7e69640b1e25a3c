defimpl List.Chars, for: Float do
  @moduledoc "A float's charlist is its shortest round-trip decimal, as in Elixir."
  @compile {:autoload, false}

  def to_charlist(float), do: :erlang.float_to_list(float, [:short])
end
