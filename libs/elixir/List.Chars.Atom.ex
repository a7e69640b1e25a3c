defimpl List.Chars, for: Atom do
  @moduledoc "An atom's charlist is its name; `nil` gives the empty list, as in Elixir."
  @compile {:autoload, false}

  def to_charlist(nil), do: []
  def to_charlist(atom), do: :erlang.atom_to_list(atom)
end
