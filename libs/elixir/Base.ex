defmodule Base do
  @moduledoc """
  Base16, Base32 and Base64 encodings (RFC 4648) as Elixir's Base gives them.
  One bit-group encoder serves every alphabet: a code is `bits` wide, the
  alphabet is a binary indexed by code, and padding fills the last block.
  Decoding returns `{:ok, binary}` or `:error`; the `!` forms raise
  ArgumentError.
  """
  @compile {:autoload, false}

  @upper16 "0123456789ABCDEF"
  @lower16 "0123456789abcdef"
  @b32 "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
  @hex32 "0123456789ABCDEFGHIJKLMNOPQRSTUV"
  @b64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  @url64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

  # ---- Base16 ---------------------------------------------------------------

  def encode16(data, opts \\ []), do: encode(data, 4, alphabet16(opts), false)

  def decode16(string, opts \\ []), do: plain(decode16_result(string, opts))
  def decode16!(string, opts \\ []), do: bang(decode16_result(string, opts))

  defp decode16_result(string, opts) do
    case Keyword.get(opts, :case, :upper) do
      :mixed -> decode(string, 4, @upper16, false, :mixed)
      _ -> decode(string, 4, alphabet16(opts), false, :exact)
    end
  end

  defp alphabet16(opts), do: if(Keyword.get(opts, :case, :upper) == :lower, do: @lower16, else: @upper16)

  # ---- Base32 ---------------------------------------------------------------

  def encode32(data, opts \\ []), do: data |> encode(5, @b32, padding?(opts)) |> cased(opts)
  def hex_encode32(data, opts \\ []), do: data |> encode(5, @hex32, padding?(opts)) |> cased(opts)
  def decode32(string, opts \\ []), do: plain(decode(string, 5, @b32, padding?(opts), case_mode(opts)))
  def hex_decode32(string, opts \\ []), do: plain(decode(string, 5, @hex32, padding?(opts), case_mode(opts)))
  def decode32!(string, opts \\ []), do: bang(decode(string, 5, @b32, padding?(opts), case_mode(opts)))
  def hex_decode32!(string, opts \\ []), do: bang(decode(string, 5, @hex32, padding?(opts), case_mode(opts)))

  defp cased(text, opts), do: if(Keyword.get(opts, :case, :upper) == :lower, do: String.downcase(text), else: text)

  defp case_mode(opts) do
    case Keyword.get(opts, :case, :upper) do
      :upper -> :exact
      other -> other
    end
  end

  # ---- Base64 ---------------------------------------------------------------

  def encode64(data, opts \\ []), do: encode(data, 6, @b64, padding?(opts))
  def url_encode64(data, opts \\ []), do: encode(data, 6, @url64, padding?(opts))
  def decode64(string, opts \\ []), do: plain(decode(strip(string, opts), 6, @b64, padding?(opts), :exact))
  def url_decode64(string, opts \\ []), do: plain(decode(strip(string, opts), 6, @url64, padding?(opts), :exact))
  def decode64!(string, opts \\ []), do: bang(decode(strip(string, opts), 6, @b64, padding?(opts), :exact))
  def url_decode64!(string, opts \\ []), do: bang(decode(strip(string, opts), 6, @url64, padding?(opts), :exact))

  defp strip(string, opts) do
    if Keyword.get(opts, :ignore) == :whitespace,
      do: for(<<c <- string>>, c not in [?\s, ?\t, ?\r, ?\n, ?\v, ?\f], into: "", do: <<c>>),
      else: string
  end

  defp padding?(opts), do: Keyword.get(opts, :padding, true)

  # Decoders answer {:ok, data} or {:error, message}; the plain forms drop the message.
  defp plain({:ok, data}), do: {:ok, data}
  defp plain({:error, _message}), do: :error

  defp bang({:ok, data}), do: data
  defp bang({:error, message}), do: raise(ArgumentError, message)

  # ---- the shared bit-group codec -----------------------------------------------

  # Characters per padded block: 8 bits * chars = bits * chars, the least common multiple.
  defp block(4), do: 2
  defp block(5), do: 8
  defp block(6), do: 4

  defp encode(data, bits, alphabet, pad) when is_binary(data) do
    text = encode_groups(data, bits, alphabet, [])
    missing = rem(block(bits) - rem(byte_size(text), block(bits)), block(bits))
    if pad, do: text <> :binary.copy("=", missing), else: text
  end

  # Whole bytes only: AtomVM cannot match a bitstring tail at an unaligned offset, so the
  # pending bits are kept in an integer (`buf` holds `n` of them).
  defp encode_groups(data, bits, alphabet, acc), do: encode_bytes(data, 0, 0, bits, alphabet, acc)

  defp encode_bytes(<<byte, rest::binary>>, buf, n, bits, alphabet, acc),
    do: encode_codes(rest, buf * 256 + byte, n + 8, bits, alphabet, acc)

  defp encode_bytes(<<>>, _buf, 0, _bits, _alphabet, acc),
    do: :erlang.list_to_binary(:lists.reverse(acc))

  defp encode_bytes(<<>>, buf, n, bits, alphabet, acc) do
    code = :erlang.bsl(buf, bits - n)
    :erlang.list_to_binary(:lists.reverse([:binary.at(alphabet, code) | acc]))
  end

  defp encode_codes(rest, buf, n, bits, alphabet, acc) when n >= bits do
    code = :erlang.bsr(buf, n - bits)
    buf = buf - :erlang.bsl(code, n - bits)
    encode_codes(rest, buf, n - bits, bits, alphabet, [:binary.at(alphabet, code) | acc])
  end

  defp encode_codes(rest, buf, n, bits, alphabet, acc),
    do: encode_bytes(rest, buf, n, bits, alphabet, acc)

  defp decode(string, bits, alphabet, pad, mode) when is_binary(string) do
    body = String.trim_trailing(string, "=")
    padded = byte_size(string) - byte_size(body)
    size = byte_size(string)

    cond do
      bits == 4 and rem(size, 2) != 0 ->
        {:error,
         "string given to decode has wrong length. An even number of bytes was expected, got: " <>
           "#{size}. Double check your string for unwanted characters or pad it accordingly"}

      pad and bits != 4 and rem(size, block(bits)) != 0 ->
        {:error, "incorrect padding"}

      not pad and padded > 0 and rem(size, block(bits)) != 0 ->
        {:error, "incorrect padding"}

      true ->
        decode_codes(body, bits, alphabet, mode, {[], 0, 0})
    end
  end

  # The decoded bytes go to `acc` (reversed); `buf` holds the `n` bits not yet a byte.
  defp decode_codes(<<c, rest::binary>>, bits, alphabet, mode, {acc, buf, n}) do
    case code_of(c, alphabet, mode) do
      :nomatch -> {:error, "non-alphabet character found: \"#{<<c>>}\" (byte #{c})"}
      code -> decode_codes(rest, bits, alphabet, mode, take_bytes(acc, buf * :erlang.bsl(1, bits) + code, n + bits))
    end
  end

  defp decode_codes(<<>>, _bits, _alphabet, _mode, {acc, 0, _n}),
    do: {:ok, :erlang.list_to_binary(:lists.reverse(acc))}

  defp decode_codes(<<>>, _bits, _alphabet, _mode, _left), do: {:error, "incorrect padding"}

  defp take_bytes(acc, buf, n) when n >= 8 do
    byte = :erlang.bsr(buf, n - 8)
    take_bytes([byte | acc], buf - :erlang.bsl(byte, n - 8), n - 8)
  end

  defp take_bytes(acc, buf, n), do: {acc, buf, n}

  defp code_of(c, alphabet, :exact), do: index(alphabet, c)
  defp code_of(c, alphabet, _mixed), do: with(:nomatch <- index(alphabet, c), do: index(alphabet, swap_case(c)))

  defp index(alphabet, c) do
    case :binary.match(alphabet, <<c>>) do
      {position, 1} -> position
      :nomatch -> :nomatch
    end
  end

  defp swap_case(c) when c in ?a..?z, do: c - 32
  defp swap_case(c) when c in ?A..?Z, do: c + 32
  defp swap_case(c), do: c
end
