defmodule MapSet do
  @moduledoc """
  Sets of any terms, kept as the keys of a map (Elixir 1.14's layout: each
  member maps to `[]`, `version: 2`), so membership is a map lookup.
  """
  @compile {:autoload, false}

  defstruct map: %{}, version: 2

  def new, do: %MapSet{}
  def new(%MapSet{} = set), do: set
  def new(enumerable), do: %MapSet{map: members(Enum.to_list(enumerable))}
  def new(enumerable, transform), do: %MapSet{map: members(Enum.map(enumerable, transform))}

  defp members(list), do: :maps.from_list(for x <- list, do: {x, []})

  def put(%MapSet{map: map} = set, value), do: %{set | map: :maps.put(value, [], map)}
  def delete(%MapSet{map: map} = set, value), do: %{set | map: :maps.remove(value, map)}
  def member?(%MapSet{map: map}, value), do: :erlang.is_map_key(value, map)
  def size(%MapSet{map: map}), do: map_size(map)
  def to_list(%MapSet{map: map}), do: :maps.keys(map)

  def union(%MapSet{map: a}, %MapSet{map: b}), do: %MapSet{map: :maps.merge(a, b)}

  def intersection(%MapSet{map: a}, %MapSet{map: b}),
    do: %MapSet{map: :maps.filter(fn key, _ -> :erlang.is_map_key(key, b) end, a)}

  def difference(%MapSet{map: a}, %MapSet{map: b}),
    do: %MapSet{map: :maps.filter(fn key, _ -> not :erlang.is_map_key(key, b) end, a)}

  def symmetric_difference(%MapSet{} = a, %MapSet{} = b),
    do: union(difference(a, b), difference(b, a))

  def subset?(%MapSet{map: a}, %MapSet{map: b}),
    do: map_size(a) <= map_size(b) and Enum.all?(:maps.keys(a), &:erlang.is_map_key(&1, b))

  def disjoint?(%MapSet{} = a, %MapSet{} = b), do: size(intersection(a, b)) == 0
  def equal?(%MapSet{map: a}, %MapSet{map: b}), do: a === b

  def filter(%MapSet{map: map}, fun), do: %MapSet{map: :maps.filter(fn key, _ -> fun.(key) end, map)}
  def split_with(%MapSet{} = set, fun), do: {filter(set, fun), reject(set, fun)}

  def reject(%MapSet{map: map}, fun), do: %MapSet{map: :maps.filter(fn key, _ -> not fun.(key) end, map)}
end
