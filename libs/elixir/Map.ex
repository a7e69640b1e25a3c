defmodule Map do
  @moduledoc """
  Elixir's Map for the device, over the `maps` module and the map BIFs. Missing
  keys raise KeyError (`fetch!/2`, `replace!/3`, `update!/3`) as in Elixir.
  """
  @compile {:autoload, false}

  def new, do: %{}
  def new(%{__struct__: _} = enumerable), do: new_from(Enum.to_list(enumerable))
  def new(map) when is_map(map), do: map
  def new(enumerable), do: new_from(Enum.to_list(enumerable))
  def new(enumerable, transform), do: new_from(Enum.map(enumerable, transform))

  defp new_from(pairs), do: :maps.from_list(pairs)

  def keys(map), do: :maps.keys(map)
  def values(map), do: :maps.values(map)
  def to_list(map), do: :maps.to_list(map)
  def has_key?(map, key), do: :erlang.is_map_key(key, map)
  def equal?(map1, map2) when is_map(map1) and is_map(map2), do: map1 === map2

  def get(map, key, default \\ nil) do
    case map do
      %{^key => value} -> value
      %{} -> default
      other -> :erlang.error({:badmap, other})
    end
  end

  def get_lazy(map, key, fun) do
    case map do
      %{^key => value} -> value
      %{} -> fun.()
    end
  end

  def fetch(map, key) do
    case map do
      %{^key => value} -> {:ok, value}
      %{} -> :error
      other -> :erlang.error({:badmap, other})
    end
  end

  def fetch!(map, key) do
    case fetch(map, key) do
      {:ok, value} -> value
      :error -> raise KeyError, key: key, term: map
    end
  end

  def put(map, key, value), do: :maps.put(key, value, map)

  def put_new(map, key, value) do
    if has_key?(map, key), do: map, else: put(map, key, value)
  end

  def put_new_lazy(map, key, fun) do
    if has_key?(map, key), do: map, else: put(map, key, fun.())
  end

  def replace(map, key, value) do
    if has_key?(map, key), do: put(map, key, value), else: map
  end

  def replace!(map, key, value) do
    if has_key?(map, key), do: put(map, key, value), else: raise(KeyError, key: key, term: map)
  end

  def replace_lazy(map, key, fun) do
    case map do
      %{^key => value} -> put(map, key, fun.(value))
      %{} -> map
    end
  end

  def update(map, key, default, fun) do
    case map do
      %{^key => value} -> put(map, key, fun.(value))
      %{} -> put(map, key, default)
      other -> :erlang.error({:badmap, other})
    end
  end

  def update!(map, key, fun) do
    case map do
      %{^key => value} -> put(map, key, fun.(value))
      %{} -> raise KeyError, key: key, term: map
      other -> :erlang.error({:badmap, other})
    end
  end

  def delete(map, key), do: :maps.remove(key, map)
  def drop(map, keys), do: :maps.without(Enum.to_list(keys), map)
  def take(map, keys), do: :maps.with(Enum.to_list(keys), map)

  def pop(map, key, default \\ nil) do
    case map do
      %{^key => value} -> {value, delete(map, key)}
      %{} -> {default, map}
    end
  end

  def pop!(map, key) do
    case map do
      %{^key => value} -> {value, delete(map, key)}
      %{} -> raise KeyError, key: key, term: map
    end
  end

  def pop_lazy(map, key, fun) do
    case map do
      %{^key => value} -> {value, delete(map, key)}
      %{} -> {fun.(), map}
    end
  end

  def get_and_update(map, key, fun) do
    current = get(map, key)

    case fun.(current) do
      {get, update} -> {get, put(map, key, update)}
      :pop -> {current, delete(map, key)}
    end
  end

  def get_and_update!(map, key, fun) do
    current = fetch!(map, key)

    case fun.(current) do
      {get, update} -> {get, put(map, key, update)}
      :pop -> {current, delete(map, key)}
    end
  end

  def merge(map1, map2), do: :maps.merge(map1, map2)

  def merge(map1, map2, fun) do
    :maps.fold(
      fn key, value2, acc ->
        case acc do
          %{^key => value1} -> put(acc, key, fun.(key, value1, value2))
          %{} -> put(acc, key, value2)
        end
      end,
      map1,
      map2
    )
  end

  def split(map, keys) do
    keys = Enum.to_list(keys)
    {take(map, keys), drop(map, keys)}
  end

  def filter(map, fun), do: :maps.from_list(Enum.filter(:maps.to_list(map), fun))
  def reject(map, fun), do: :maps.from_list(Enum.reject(:maps.to_list(map), fun))

  def from_keys(keys, value), do: :maps.from_keys(keys, value)

  def from_struct(%{__struct__: _} = struct), do: delete(struct, :__struct__)
  def from_struct(module) when is_atom(module), do: delete(module.__struct__(), :__struct__)
end
