defprotocol String.Chars do
  @moduledoc """
  The protocol string interpolation and `to_string/1` call: every interpolated
  non-binary `x` becomes `String.Chars.to_string(x)`.
  """
  @compile {:autoload, false}

  @doc "The text of `term` as a binary."
  def to_string(term)
end
