defimpl Enumerable, for: MapSet do
  @moduledoc "A MapSet walks its members in the order of the map that holds them."
  @compile {:autoload, false}

  def count(set), do: {:ok, MapSet.size(set)}

  def member?(set, element), do: {:ok, MapSet.member?(set, element)}

  def slice(set) do
    size = MapSet.size(set)
    {:ok, size, fn start, length -> :lists.sublist(MapSet.to_list(set), start + 1, length) end}
  end

  def reduce(set, acc, fun), do: Enumerable.List.reduce(MapSet.to_list(set), acc, fun)
end
