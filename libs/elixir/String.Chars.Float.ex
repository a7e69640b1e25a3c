defimpl String.Chars, for: Float do
  @moduledoc "A float's text is the shortest decimal that reads back as the same float, as in Elixir."
  @compile {:autoload, false}

  def to_string(float), do: :erlang.float_to_binary(float, [:short])
end
