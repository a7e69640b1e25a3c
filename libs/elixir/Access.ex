defmodule Access do
  @moduledoc """
  Key-based access as Elixir does it: `term[key]` compiles to `Access.get/2`,
  and `get_in/put_in/update_in` walk paths through `fetch/2` and
  `get_and_update/3`. Maps and keyword lists are built in; a struct answers
  through its own module's `fetch/2` and `get_and_update/3` (the Access
  behaviour), and `nil` yields `nil` for any key.
  """
  @compile {:autoload, false}

  def fetch(%module{} = container, key), do: module.fetch(container, key)
  def fetch(map, key) when is_map(map), do: Map.fetch(map, key)

  def fetch(list, key) when is_list(list) and is_atom(key) do
    case :lists.keyfind(key, 1, list) do
      {_, value} -> {:ok, value}
      false -> :error
    end
  end

  def fetch(list, key) when is_list(list) do
    raise ArgumentError,
          "the Access calls for keywords expect the key to be an atom, got: " <> Kernel.inspect(key)
  end

  def fetch(nil, _key), do: :error

  def fetch!(container, key) do
    case fetch(container, key) do
      {:ok, value} -> value
      :error -> raise KeyError, key: key, term: container
    end
  end

  def get(container, key, default \\ nil) do
    case fetch(container, key) do
      {:ok, value} -> value
      :error -> default
    end
  end

  def get_and_update(%module{} = container, key, fun), do: module.get_and_update(container, key, fun)
  def get_and_update(map, key, fun) when is_map(map), do: Map.get_and_update(map, key, fun)
  def get_and_update(list, key, fun) when is_list(list), do: Keyword.get_and_update(list, key, fun)
  def get_and_update(nil, key, _fun), do: raise(ArgumentError, "could not put/update key #{Kernel.inspect(key)} on a nil value")

  def pop(%module{} = container, key), do: module.pop(container, key)
  def pop(map, key) when is_map(map), do: Map.pop(map, key)
  def pop(list, key) when is_list(list), do: Keyword.pop(list, key)
  def pop(nil, _key), do: {nil, nil}

  # ---- accessor functions for paths -----------------------------------------

  def key(key, default \\ nil) do
    fn
      :get, data, next -> next.(Map.get(data || %{}, key, default))
      :get_and_update, data, next -> Map.get_and_update(data || %{}, key, &update_value(&1, default, next))
    end
  end

  defp update_value(nil, default, next), do: next.(default)
  defp update_value(value, _default, next), do: next.(value)

  def key!(key) do
    fn
      :get, %{} = data, next -> next.(Map.fetch!(data, key))
      :get_and_update, %{} = data, next -> Map.get_and_update!(data, key, next)
      _op, data, _next -> raise ArgumentError, "expected a map, got: " <> Kernel.inspect(data)
    end
  end

  def elem(index) when is_integer(index) and index >= 0 do
    position = index + 1

    fn
      :get, data, next when is_tuple(data) ->
        next.(:erlang.element(position, data))

      :get_and_update, data, next when is_tuple(data) ->
        case next.(:erlang.element(position, data)) do
          {get, update} -> {get, :erlang.setelement(position, data, update)}
          :pop -> raise ArgumentError, "cannot pop data from a tuple"
        end
    end
  end

  def at(index) when is_integer(index) do
    fn
      :get, data, next when is_list(data) ->
        next.(Enum.at(data, index))

      :get_and_update, data, next when is_list(data) ->
        at_update(data, index, next)
    end
  end

  def at!(index) when is_integer(index) do
    fn op, data, next when is_list(data) ->
      case Enum.fetch(data, index) do
        {:ok, _value} -> at(index).(op, data, next)
        :error -> raise Enum.OutOfBoundsError
      end
    end
  end

  defp at_update(list, index, next) when index < 0 do
    if -index > length(list), do: {nil, list}, else: at_update(list, length(list) + index, next)
  end

  defp at_update(list, index, next) do
    case Enum.split(list, index) do
      {before, [value | rest]} ->
        case next.(value) do
          {get, update} -> {get, before ++ [update | rest]}
          :pop -> {value, before ++ rest}
        end

      {_before, []} ->
        {nil, list}
    end
  end

  def all, do: filter(fn _ -> true end)

  def filter(predicate) when is_function(predicate, 1) do
    fn
      :get, data, next when is_list(data) ->
        data |> Enum.filter(predicate) |> Enum.map(next)

      :get_and_update, data, next when is_list(data) ->
        {gets, updates} =
          Enum.reduce(data, {[], []}, fn value, {gets, updates} ->
            if predicate.(value) do
              case next.(value) do
                {get, update} -> {[get | gets], [update | updates]}
                :pop -> {[value | gets], updates}
              end
            else
              {gets, [value | updates]}
            end
          end)

        {:lists.reverse(gets), :lists.reverse(updates)}
    end
  end
end
