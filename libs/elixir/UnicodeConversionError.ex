defmodule UnicodeConversionError do
  @moduledoc """
  Raised by `List.to_string/1` and `List.to_charlist/1` for chardata that is
  not valid Unicode; the message names the first bad code point or bytes, as
  in Elixir.
  """
  @compile {:autoload, false}

  defexception [:encoded, :message]

  def exception(opts) do
    %UnicodeConversionError{
      encoded: Keyword.fetch!(opts, :encoded),
      message: "#{Keyword.fetch!(opts, :kind)} #{detail(Keyword.fetch!(opts, :rest))}"
    }
  end

  defp detail(rest) when is_binary(rest), do: "encoding starting at #{Kernel.inspect(rest)}"
  defp detail([head | _]) when is_integer(head), do: "code point #{head}"
  defp detail([head | _]), do: detail(head)
end
