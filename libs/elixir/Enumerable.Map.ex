defimpl Enumerable, for: Map do
  @moduledoc "Maps walk as `{key, value}` pairs in the order `:maps.to_list/1` gives."
  @compile {:autoload, false}

  def count(map), do: {:ok, map_size(map)}

  def member?(map, {key, value}) do
    case map do
      %{^key => ^value} -> {:ok, true}
      %{} -> {:ok, false}
    end
  end

  def member?(_map, _other), do: {:ok, false}

  def slice(map) do
    size = map_size(map)
    {:ok, size, fn start, length -> :lists.sublist(:maps.to_list(map), start + 1, length) end}
  end

  def reduce(map, acc, fun), do: Enumerable.List.reduce(:maps.to_list(map), acc, fun)
end
