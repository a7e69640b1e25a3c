defprotocol List.Chars do
  @moduledoc "The protocol `to_charlist/1` calls: the text of a term as a list of code points."
  @compile {:autoload, false}

  @doc "The text of `term` as a charlist."
  def to_charlist(term)
end
