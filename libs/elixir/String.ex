defmodule String do
  @moduledoc """
  Elixir's String for the device (AtomVM's exavmlib has none): UTF-8 binaries
  handled by code point. Differences from Elixir, as the device has no Unicode
  tables: a grapheme is one code point (combining marks count on their own),
  and case mapping covers ASCII and Latin-1 only; other characters are kept.
  There is no Regex, so patterns are binaries or lists of binaries.
  """
  @compile {:autoload, false}
  import Kernel, except: [length: 1, to_charlist: 1]

  @whitespace [?\s, ?\t, ?\n, ?\v, ?\f, ?\r, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000] ++
                :lists.seq(0x2000, 0x200A)

  # split/1 does not divide at non-breaking spaces.
  @word_breaks @whitespace -- [0xA0, 0x2007, 0x202F]

  # ---- code points ---------------------------------------------------------

  def codepoints(string), do: for(<<c::utf8 <- string>>, do: <<c::utf8>>)
  def graphemes(string), do: codepoints(string)
  def length(string) when is_binary(string), do: length_of(:unicode.characters_to_list(string))
  defp length_of(list), do: :erlang.length(list)
  def to_charlist(string) when is_binary(string), do: :unicode.characters_to_list(string)
  def valid?(string) when is_binary(string), do: is_list(:unicode.characters_to_list(string))

  def next_codepoint(<<c::utf8, rest::binary>>), do: {<<c::utf8>>, rest}
  def next_codepoint(<<byte, rest::binary>>), do: {<<byte>>, rest}
  def next_codepoint(<<>>), do: nil
  def next_grapheme(string), do: next_codepoint(string)

  def printable?(string, limit \\ :infinity)
  def printable?(_string, 0), do: true
  def printable?(<<>>, _limit), do: true

  def printable?(<<c::utf8, rest::binary>>, limit) do
    printable_char?(c) and printable?(rest, if(limit == :infinity, do: limit, else: limit - 1))
  end

  def printable?(_string, _limit), do: false

  defp printable_char?(c) when c in 0x20..0x7E, do: true
  defp printable_char?(c) when c in [?\n, ?\r, ?\t, ?\v, ?\b, ?\f, ?\e, ?\d, ?\a], do: true
  defp printable_char?(c) when c in 0xA0..0xD7FF or c in 0xE000..0xFFFD, do: true
  defp printable_char?(c) when c in 0x10000..0x10FFFF, do: true
  defp printable_char?(_c), do: false

  def at(string, index) when is_integer(index), do: Enum.at(codepoints(string), index)
  def first(string), do: at(string, 0)
  def last(string), do: at(string, -1)
  def reverse(string), do: string |> codepoints() |> :lists.reverse() |> :erlang.iolist_to_binary()

  def slice(string, first..last//step) do
    string |> codepoints() |> Enum.slice(first..last//step) |> :erlang.iolist_to_binary()
  end

  def slice(string, start, length) when is_integer(start) and is_integer(length) and length >= 0 do
    string |> codepoints() |> Enum.slice(start, length) |> :erlang.iolist_to_binary()
  end

  def split_at(string, position) do
    {left, right} = Enum.split(codepoints(string), position)
    {:erlang.iolist_to_binary(left), :erlang.iolist_to_binary(right)}
  end

  # ---- case -----------------------------------------------------------------

  def upcase(string, _mode \\ :default), do: map_chars(string, &upcase_char/1)
  def downcase(string, _mode \\ :default), do: map_chars(string, &downcase_char/1)

  def capitalize(string, _mode \\ :default) do
    case next_codepoint(string) do
      nil -> ""
      {first, rest} -> upcase(first) <> downcase(rest)
    end
  end

  defp map_chars(string, fun), do: for(<<c::utf8 <- string>>, into: "", do: fun.(c))

  defp upcase_char(0xDF), do: "SS"
  defp upcase_char(c), do: <<upcase_code(c)::utf8>>

  defp upcase_code(c) when c in ?a..?z or (c in 0xE0..0xFE and c != 0xF7), do: c - 32
  defp upcase_code(0xFF), do: 0x178
  defp upcase_code(c), do: c

  defp downcase_char(c), do: <<downcase_code(c)::utf8>>

  defp downcase_code(c) when c in ?A..?Z or (c in 0xC0..0xDE and c != 0xD7), do: c + 32
  defp downcase_code(0x178), do: 0xFF
  defp downcase_code(c), do: c

  # ---- whitespace and padding -------------------------------------------------

  def trim(string), do: string |> trim_leading() |> trim_trailing()
  def trim(string, to_trim), do: string |> trim_leading(to_trim) |> trim_trailing(to_trim)

  def trim_leading(<<c::utf8, rest::binary>> = string) do
    if c in @whitespace, do: trim_leading(rest), else: string
  end

  def trim_leading(string), do: string

  def trim_leading(string, to_trim) when to_trim != "" do
    size = byte_size(to_trim)

    case string do
      <<^to_trim::binary-size(size), rest::binary>> -> trim_leading(rest, to_trim)
      _ -> string
    end
  end

  def trim_trailing(string), do: string |> to_charlist() |> :lists.reverse() |> drop_space() |> rebuild()

  def trim_trailing(string, to_trim) when to_trim != "" do
    if ends_with?(string, to_trim),
      do: trim_trailing(:binary.part(string, 0, byte_size(string) - byte_size(to_trim)), to_trim),
      else: string
  end

  defp drop_space([c | rest]) when c in @whitespace, do: drop_space(rest)
  defp drop_space(reversed), do: reversed
  defp rebuild(reversed), do: :unicode.characters_to_binary(:lists.reverse(reversed))

  def pad_leading(string, count, padding \\ " "), do: pad(string, count, padding, :leading)
  def pad_trailing(string, count, padding \\ " "), do: pad(string, count, padding, :trailing)

  defp pad(string, count, padding, side) when is_binary(padding), do: pad(string, count, codepoints(padding), side)

  defp pad(string, count, [_ | _] = padding, side) when is_integer(count) and count >= 0 do
    missing = count - length(string)

    if missing <= 0 do
      string
    else
      filler = padding |> cycle(missing) |> :erlang.iolist_to_binary()
      if side == :leading, do: filler <> string, else: string <> filler
    end
  end

  defp cycle(padding, count) when count <= :erlang.length(padding), do: Enum.take(padding, count)
  defp cycle(padding, count), do: padding ++ cycle(padding, count - length_of(padding))

  def duplicate(string, n), do: :binary.copy(string, n)

  # ---- searching -----------------------------------------------------------------

  def contains?(string, []) when is_binary(string), do: false
  def contains?(string, "") when is_binary(string), do: true
  def contains?(string, pattern) when is_binary(string), do: :binary.match(string, pattern) != :nomatch

  def starts_with?(string, patterns) when is_list(patterns), do: Enum.any?(patterns, &starts_with?(string, &1))

  def starts_with?(string, prefix) when is_binary(prefix),
    do: :binary.longest_common_prefix([string, prefix]) == byte_size(prefix)

  def ends_with?(string, patterns) when is_list(patterns), do: Enum.any?(patterns, &ends_with?(string, &1))

  def ends_with?(string, suffix) when is_binary(suffix),
    do: :binary.longest_common_suffix([string, suffix]) == byte_size(suffix)

  # ---- splitting and replacing -----------------------------------------------------

  def split(string) do
    string
    |> to_charlist()
    |> chunk_words([], [])
    |> Enum.map(&:unicode.characters_to_binary/1)
  end

  defp chunk_words([], [], words), do: :lists.reverse(words)
  defp chunk_words([], word, words), do: :lists.reverse([:lists.reverse(word) | words])
  defp chunk_words([c | rest], [], words) when c in @word_breaks, do: chunk_words(rest, [], words)
  defp chunk_words([c | rest], word, words) when c in @word_breaks, do: chunk_words(rest, [], [:lists.reverse(word) | words])
  defp chunk_words([c | rest], word, words), do: chunk_words(rest, [c | word], words)

  def split(string, pattern, options \\ []) when is_binary(string) do
    parts = Keyword.get(options, :parts, :infinity)
    trim = Keyword.get(options, :trim, false)

    case pattern do
      "" -> limit_pieces(["" | codepoints(string)] ++ [""], parts, trim)
      _ -> split_pieces(string, pattern, parts, trim)
    end
  end

  # Split at the first match each time, so `parts` counts pieces; with `trim`, empty
  # pieces are dropped and not counted.
  defp split_pieces(string, _pattern, 1, trim), do: last_piece(string, trim)

  defp split_pieces(string, pattern, parts, trim) do
    case :binary.split(string, pattern) do
      ["", rest] when trim -> split_pieces(rest, pattern, parts, trim)
      [piece, rest] -> [piece | split_pieces(rest, pattern, countdown(parts), trim)]
      [whole] -> last_piece(whole, trim)
    end
  end

  defp limit_pieces(pieces, parts, true), do: limit_pieces(Enum.reject(pieces, &(&1 == "")), parts, false)
  defp limit_pieces(pieces, :infinity, false), do: pieces

  defp limit_pieces(pieces, parts, false) do
    {head, tail} = Enum.split(pieces, parts - 1)
    if tail == [], do: head, else: head ++ [:erlang.iolist_to_binary(tail)]
  end

  defp last_piece("", true), do: []
  defp last_piece(piece, _trim), do: [piece]

  defp countdown(:infinity), do: :infinity
  defp countdown(parts), do: parts - 1

  def replace(string, pattern, replacement, options \\ []) do
    global = Keyword.get(options, :global, true)

    case pattern do
      "" -> replace_empty(string, replacement, global)
      _ -> replace_matches(string, matches(string, pattern, global), 0, replacement, [])
    end
  end

  defp matches(string, pattern, true), do: :binary.matches(string, pattern)

  defp matches(string, pattern, false) do
    case :binary.match(string, pattern) do
      :nomatch -> []
      found -> [found]
    end
  end

  defp replace_matches(string, [], from, _replacement, acc),
    do: :erlang.iolist_to_binary(:lists.reverse(acc, [binary_part(string, from, byte_size(string) - from)]))

  defp replace_matches(string, [{at, size} | rest], from, replacement, acc) do
    matched = binary_part(string, at, size)
    new = if is_function(replacement, 1), do: replacement.(matched), else: replacement
    replace_matches(string, rest, at + size, replacement, [new, binary_part(string, from, at - from) | acc])
  end

  defp replace_empty(string, replacement, true),
    do: :erlang.iolist_to_binary([replacement | for(c <- codepoints(string), do: [c, replacement])])

  defp replace_empty(string, replacement, false), do: replacement <> string

  def replace_leading(string, match, replacement) when match != "" do
    if starts_with?(string, match),
      do: replacement <> replace_leading(binary_part(string, byte_size(match), byte_size(string) - byte_size(match)), match, replacement),
      else: string
  end

  def replace_trailing(string, match, replacement) when match != "" do
    if ends_with?(string, match),
      do: replace_trailing(binary_part(string, 0, byte_size(string) - byte_size(match)), match, replacement) <> replacement,
      else: string
  end

  def replace_prefix(string, match, replacement) do
    if starts_with?(string, match),
      do: replacement <> binary_part(string, byte_size(match), byte_size(string) - byte_size(match)),
      else: string
  end

  def replace_suffix(string, match, replacement) do
    if ends_with?(string, match),
      do: binary_part(string, 0, byte_size(string) - byte_size(match)) <> replacement,
      else: string
  end

  # ---- conversions ---------------------------------------------------------------------

  def to_integer(string), do: :erlang.binary_to_integer(string)
  def to_integer(string, base), do: :erlang.binary_to_integer(string, base)
  def to_float(string), do: :erlang.binary_to_float(string)
  def to_atom(string), do: :erlang.binary_to_atom(string, :utf8)
  def to_existing_atom(string), do: :erlang.binary_to_existing_atom(string, :utf8)
end
