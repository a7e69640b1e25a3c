defimpl String.Chars, for: Atom do
  @moduledoc "An atom's text is its name; `nil` is the empty string, as in Elixir."
  @compile {:autoload, false}

  def to_string(nil), do: ""
  def to_string(atom), do: :erlang.atom_to_binary(atom, :utf8)
end
