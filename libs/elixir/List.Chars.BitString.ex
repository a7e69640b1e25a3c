defimpl List.Chars, for: BitString do
  @moduledoc "A UTF-8 binary's charlist is its code points."
  @compile {:autoload, false}

  def to_charlist(binary) when is_binary(binary), do: String.to_charlist(binary)

  def to_charlist(bitstring) do
    raise Protocol.UndefinedError,
      protocol: List.Chars,
      value: bitstring,
      description: "cannot convert a bitstring to a charlist"
  end
end
