defimpl List.Chars, for: Integer do
  @moduledoc "An integer's charlist is its decimal digits."
  @compile {:autoload, false}

  def to_charlist(integer), do: :erlang.integer_to_list(integer)
end
