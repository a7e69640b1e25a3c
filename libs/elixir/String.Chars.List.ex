defimpl String.Chars, for: List do
  @moduledoc "A list is chardata (code points, strings, nested lists): its text is that UTF-8 string."
  @compile {:autoload, false}

  def to_string(chardata), do: List.to_string(chardata)
end
