defimpl String.Chars, for: BitString do
  @moduledoc "A binary is already its text; a bitstring that is not whole bytes has none."
  @compile {:autoload, false}

  def to_string(binary) when is_binary(binary), do: binary

  def to_string(bitstring) do
    raise Protocol.UndefinedError,
      protocol: String.Chars,
      value: bitstring,
      description: "cannot convert a bitstring to a string"
  end
end
