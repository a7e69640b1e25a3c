defmodule List do
  @moduledoc """
  Elixir's List for the device: access, update and conversion of lists, the
  keyword-style `key*` functions over tuples, and charlist conversions.
  """
  @compile {:autoload, false}

  def first(list, default \\ nil)
  def first([], default), do: default
  def first([head | _], _default), do: head

  def last(list, default \\ nil)
  def last([], default), do: default
  def last(list, _default), do: :lists.last(list)

  def wrap(nil), do: []
  def wrap(list) when is_list(list), do: list
  def wrap(other), do: [other]

  def duplicate(elem, n), do: :lists.duplicate(n, elem)
  def flatten(list), do: :lists.flatten(list)
  def flatten(list, tail), do: :lists.flatten(list, tail)
  def foldl(list, acc, fun), do: :lists.foldl(fun, acc, list)
  def foldr(list, acc, fun), do: :lists.foldr(fun, acc, list)
  def delete(list, elem), do: :lists.delete(elem, list)
  def zip(lists), do: Enum.zip(lists)
  def to_tuple(list), do: :erlang.list_to_tuple(list)
  def improper?(list) when is_list(list) and length(list) >= 0, do: false
  def improper?(list) when is_list(list), do: true

  def starts_with?(list, []) when is_list(list), do: true
  def starts_with?([head | tail], [head | prefix_tail]), do: starts_with?(tail, prefix_tail)
  def starts_with?(list, [_ | _]) when is_list(list), do: false

  def insert_at(list, index, value) when index < 0 and -index > length(list), do: [value | list]
  def insert_at(list, index, value) when index < 0, do: insert_at(list, length(list) + index + 1, value)

  def insert_at(list, index, value) do
    {before, rest} = Enum.split(list, index)
    before ++ [value | rest]
  end

  def replace_at(list, index, value), do: update_at(list, index, fn _ -> value end)

  def update_at(list, index, fun) when index < 0 do
    if -index > length(list), do: list, else: update_at(list, length(list) + index, fun)
  end

  def update_at(list, index, fun) do
    case Enum.split(list, index) do
      {before, [old | rest]} -> before ++ [fun.(old) | rest]
      {_before, []} -> list
    end
  end

  def delete_at(list, index), do: elem(pop_at(list, index), 1)

  def pop_at(list, index, default \\ nil)

  def pop_at(list, index, default) when index < 0 do
    if -index > length(list), do: {default, list}, else: pop_at(list, length(list) + index, default)
  end

  def pop_at(list, index, default) do
    case Enum.split(list, index) do
      {before, [value | rest]} -> {value, before ++ rest}
      {_before, []} -> {default, list}
    end
  end

  def keyfind(list, key, position, default \\ nil) do
    case :lists.keyfind(key, position + 1, list) do
      false -> default
      tuple -> tuple
    end
  end

  def keyfind!(list, key, position) do
    case :lists.keyfind(key, position + 1, list) do
      false ->
        raise KeyError,
          key: key,
          term: list,
          message: "key #{Kernel.inspect(key)} at position #{position} not found in: #{Kernel.inspect(list)}"

      tuple ->
        tuple
    end
  end

  def keymember?(list, key, position), do: :lists.keymember(key, position + 1, list)
  def keydelete(list, key, position), do: :lists.keydelete(key, position + 1, list)
  def keyreplace(list, key, position, tuple), do: :lists.keyreplace(key, position + 1, list, tuple)
  def keystore(list, key, position, tuple), do: :lists.keystore(key, position + 1, list, tuple)
  def keysort(list, position), do: :lists.keysort(position + 1, list)

  def keysort(list, position, sorter), do: Enum.sort_by(list, &elem(&1, position), sorter)

  def keytake(list, key, position) do
    case :lists.keytake(key, position + 1, list) do
      {:value, tuple, rest} -> {tuple, rest}
      false -> nil
    end
  end

  def to_atom(charlist), do: :erlang.list_to_atom(charlist)
  def to_existing_atom(charlist), do: :erlang.list_to_existing_atom(charlist)
  def to_integer(charlist), do: :erlang.list_to_integer(charlist)
  def to_integer(charlist, base), do: :erlang.list_to_integer(charlist, base)
  def to_float(charlist), do: :erlang.list_to_float(charlist)
  def to_charlist(list) when is_list(list), do: convert(list, &:unicode.characters_to_list/1)
  def to_string(list) when is_list(list), do: convert(list, &:unicode.characters_to_binary/1)

  @not_chardata """
  cannot convert the given list to a string.

  To be converted to a string, a list must either be empty or only
  contain the following elements:

    * strings
    * integers representing Unicode code points
    * a list containing one of these three elements

  Please check the given list or call inspect/1 to get the list representation, got:

  """

  defp convert(list, converter) do
    try do
      converter.(list)
    rescue
      ArgumentError -> raise ArgumentError, @not_chardata <> Kernel.inspect(list) <> "\n"
    else
      {:error, encoded, rest} -> raise UnicodeConversionError, encoded: encoded, rest: rest, kind: :invalid
      {:incomplete, encoded, rest} -> raise UnicodeConversionError, encoded: encoded, rest: rest, kind: :incomplete
      result -> result
    end
  end

  @doc "True when every element is a printable ASCII character (what inspect shows as a charlist)."
  def ascii_printable?(list, limit \\ :infinity), do: ascii(list, limit)

  defp ascii(_list, 0), do: true
  defp ascii([], _limit), do: true

  defp ascii([char | rest], limit) when is_integer(char) and char >= 32 and char <= 126,
    do: ascii(rest, decrement(limit))

  defp ascii([char | rest], limit) when char in [?\n, ?\r, ?\t, ?\v, ?\b, ?\f, ?\e, ?\a],
    do: ascii(rest, decrement(limit))

  defp ascii(_list, _limit), do: false

  defp decrement(:infinity), do: :infinity
  defp decrement(n), do: n - 1
end
