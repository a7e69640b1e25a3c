defimpl String.Chars, for: Integer do
  @moduledoc "An integer's text is its decimal digits."
  @compile {:autoload, false}

  def to_string(integer), do: :erlang.integer_to_binary(integer)
end
