defimpl List.Chars, for: List do
  @moduledoc "A charlist is already its own charlist."
  @compile {:autoload, false}

  def to_charlist(list), do: list
end
