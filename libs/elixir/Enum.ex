defmodule Enum do
  @moduledoc """
  Elixir's Enum for the device. Lists take direct paths; every other
  collection goes through the Enumerable protocol, and functions that can stop
  early (`find/2`, `take/2`, `any?/2`, `at/2`...) halt the walk instead of
  building the whole list. Results and error terms follow Elixir 1.14.
  """
  @compile {:autoload, false}
  import Kernel, except: [max: 2, min: 2]

  # ---- the two ways of walking: whole, or until a {:halt, acc} -------------

  @doc "Folds every element into the accumulator."
  def reduce(enumerable, acc, fun) when is_list(enumerable), do: :lists.foldl(fun, acc, enumerable)

  def reduce(enumerable, acc, fun) do
    {:done, result} = Enumerable.reduce(enumerable, {:cont, acc}, fn x, a -> {:cont, fun.(x, a)} end)
    result
  end

  @doc "Folds with the first element as the accumulator; an empty collection raises Enum.EmptyError."
  def reduce(enumerable, fun) do
    case to_list(enumerable) do
      [first | rest] -> :lists.foldl(fun, first, rest)
      [] -> raise Enum.EmptyError
    end
  end

  @doc "Folds until `fun` answers `{:halt, acc}`."
  def reduce_while(enumerable, acc, fun), do: walk(enumerable, acc, fun)

  defp walk(list, acc, fun) when is_list(list), do: walk_list(list, acc, fun)
  defp walk(enumerable, acc, fun), do: elem(Enumerable.reduce(enumerable, {:cont, acc}, fun), 1)

  defp walk_list([], acc, _fun), do: acc

  defp walk_list([head | tail], acc, fun) do
    case fun.(head, acc) do
      {:cont, acc} -> walk_list(tail, acc, fun)
      {:halt, acc} -> acc
    end
  end

  @doc "The elements in order, as a list."
  def to_list(list) when is_list(list), do: list
  def to_list(%{__struct__: _} = enumerable), do: :lists.reverse(reverse(enumerable))
  def to_list(map) when is_map(map), do: :maps.to_list(map)
  def to_list(enumerable), do: :lists.reverse(reverse(enumerable))

  # ---- size and membership -------------------------------------------------

  def count(list) when is_list(list), do: length(list)

  def count(enumerable) do
    case Enumerable.count(enumerable) do
      {:ok, n} when is_integer(n) -> n
      {:error, _module} -> reduce(enumerable, 0, fn _, n -> n + 1 end)
    end
  end

  def count_until(enumerable, limit) when is_integer(limit) and limit > 0,
    do: walk(enumerable, 0, fn _, n -> if n + 1 >= limit, do: {:halt, limit}, else: {:cont, n + 1} end)

  def count_until(enumerable, fun, limit) when is_integer(limit) and limit > 0 do
    walk(enumerable, 0, fn x, n ->
      n = if fun.(x), do: n + 1, else: n
      if n >= limit, do: {:halt, limit}, else: {:cont, n}
    end)
  end

  def count(enumerable, fun), do: reduce(enumerable, 0, fn x, n -> if fun.(x), do: n + 1, else: n end)

  def empty?(list) when is_list(list), do: list == []

  def empty?(enumerable) do
    case Enumerable.count(enumerable) do
      {:ok, n} -> n == 0
      {:error, _module} -> walk(enumerable, true, fn _, _ -> {:halt, false} end)
    end
  end

  def member?(list, element) when is_list(list), do: :lists.member(element, list)

  def member?(enumerable, element) do
    case Enumerable.member?(enumerable, element) do
      {:ok, found} when is_boolean(found) -> found
      {:error, _module} -> walk(enumerable, false, fn x, _ -> if x === element, do: {:halt, true}, else: {:cont, false} end)
    end
  end

  # ---- predicates and searches --------------------------------------------

  def all?(enumerable, fun \\ fn x -> x end),
    do: walk(enumerable, true, fn x, _ -> if fun.(x), do: {:cont, true}, else: {:halt, false} end)

  def any?(enumerable, fun \\ fn x -> x end),
    do: walk(enumerable, false, fn x, _ -> if fun.(x), do: {:halt, true}, else: {:cont, false} end)

  def find(enumerable, default \\ nil, fun),
    do: walk(enumerable, default, fn x, acc -> if fun.(x), do: {:halt, x}, else: {:cont, acc} end)

  def find_value(enumerable, default \\ nil, fun) do
    walk(enumerable, default, fn x, acc ->
      value = fun.(x)
      if value, do: {:halt, value}, else: {:cont, acc}
    end)
  end

  def find_index(enumerable, fun) do
    result =
      walk(enumerable, 0, fn x, i -> if fun.(x), do: {:halt, {:found, i}}, else: {:cont, i + 1} end)

    case result do
      {:found, i} -> i
      _ -> nil
    end
  end

  # ---- element access -------------------------------------------------------

  def fetch(enumerable, index) when is_integer(index) and index < 0 do
    list = to_list(enumerable)
    fetch_list(list, length(list) + index)
  end

  def fetch(list, index) when is_list(list) and is_integer(index), do: fetch_list(list, index)

  def fetch(enumerable, index) when is_integer(index) do
    case Enumerable.slice(enumerable) do
      {:ok, size, slicer} when index < size -> {:ok, hd(slicer.(index, 1))}
      {:ok, _size, _slicer} -> :error
      {:error, _module} ->
        result = walk(enumerable, index, fn x, i -> if i == 0, do: {:halt, {:found, x}}, else: {:cont, i - 1} end)
        with {:found, x} <- result, do: {:ok, x}, else: (_ -> :error)
    end
  end

  defp fetch_list(list, index) when index < 0 or index >= length(list), do: :error
  defp fetch_list(list, index), do: {:ok, :lists.nth(index + 1, list)}

  def fetch!(enumerable, index) do
    case fetch(enumerable, index) do
      {:ok, x} -> x
      :error -> raise Enum.OutOfBoundsError
    end
  end

  def at(enumerable, index, default \\ nil) do
    case fetch(enumerable, index) do
      {:ok, x} -> x
      :error -> default
    end
  end

  # ---- transformations -------------------------------------------------------

  def map(list, fun) when is_list(list), do: :lists.map(fun, list)
  def map(enumerable, fun), do: reverse(reduce(enumerable, [], fn x, acc -> [fun.(x) | acc] end), [])

  def each(enumerable, fun) do
    reduce(enumerable, nil, fn x, _ -> fun.(x) end)
    :ok
  end

  def filter(enumerable, fun), do: keep(enumerable, fun, true)
  def reject(enumerable, fun), do: keep(enumerable, fun, false)

  defp keep(enumerable, fun, wanted) do
    reverse(reduce(enumerable, [], fn x, acc -> if truthy(fun.(x)) == wanted, do: [x | acc], else: acc end), [])
  end

  defp truthy(value), do: value != nil and value != false

  def flat_map(enumerable, fun) do
    enumerable
    |> reduce([], fn x, acc -> reverse(fun.(x), acc) end)
    |> reverse([])
  end

  def flat_map_reduce(enumerable, acc, fun) do
    {lists, acc} = map_reduce(enumerable, acc, fun)
    {concat(lists), acc}
  end

  def map_reduce(enumerable, acc, fun) do
    {mapped, acc} =
      reduce(enumerable, {[], acc}, fn x, {mapped, acc} ->
        {y, acc} = fun.(x, acc)
        {[y | mapped], acc}
      end)

    {:lists.reverse(mapped), acc}
  end

  def map_every(enumerable, 0, _fun), do: to_list(enumerable)

  def map_every(enumerable, nth, fun) when is_integer(nth) and nth > 0 do
    enumerable
    |> with_index()
    |> map(fn {x, i} -> if rem(i, nth) == 0, do: fun.(x), else: x end)
  end

  def map_intersperse(enumerable, separator, fun), do: intersperse(map(enumerable, fun), separator)

  def intersperse(enumerable, separator) do
    case to_list(enumerable) do
      [] -> []
      [first | rest] -> [first | flat_map(rest, fn x -> [separator, x] end)]
    end
  end

  def with_index(enumerable, offset \\ 0)

  def with_index(enumerable, fun) when is_function(fun, 2) do
    {mapped, _} = map_reduce(enumerable, 0, fn x, i -> {fun.(x, i), i + 1} end)
    mapped
  end

  def with_index(enumerable, offset) when is_integer(offset) do
    {mapped, _} = map_reduce(enumerable, offset, fn x, i -> {{x, i}, i + 1} end)
    mapped
  end

  def scan(enumerable, fun) do
    case to_list(enumerable) do
      [] -> []
      [first | rest] -> [first | scan(rest, first, fun)]
    end
  end

  def scan(enumerable, acc, fun) do
    {mapped, _} = map_reduce(enumerable, acc, fn x, acc -> (y = fun.(x, acc); {y, y}) end)
    mapped
  end

  def reverse(list) when is_list(list), do: :lists.reverse(list)
  def reverse(enumerable), do: reduce(enumerable, [], &[&1 | &2])

  def reverse(enumerable, tail) when is_list(enumerable), do: :lists.reverse(enumerable, to_list(tail))
  def reverse(enumerable, tail), do: reduce(enumerable, to_list(tail), &[&1 | &2])

  def reverse_slice(enumerable, start, count) do
    {before, rest} = split(enumerable, start)
    {middle, after_} = :lists.split(:erlang.min(count, length(rest)), rest)
    before ++ :lists.reverse(middle) ++ after_
  end

  def concat(enumerables), do: flat_map(enumerables, &to_list/1)
  def concat(left, right) when is_list(left) and is_list(right), do: left ++ right
  def concat(left, right), do: to_list(left) ++ to_list(right)

  def into(enumerable, collectable, transform \\ fn x -> x end)

  def into(enumerable, list, transform) when is_list(list), do: list ++ map(enumerable, transform)

  def into(enumerable, %{__struct__: _} = collectable, transform), do: collect(enumerable, collectable, transform)

  def into(enumerable, map, transform) when is_map(map) and map_size(map) == 0,
    do: :maps.from_list(map(enumerable, transform))

  def into(enumerable, collectable, transform), do: collect(enumerable, collectable, transform)

  defp collect(enumerable, collectable, transform) do
    {initial, into} = Collectable.into(collectable)

    try do
      reduce(enumerable, initial, fn x, acc -> into.(acc, {:cont, transform.(x)}) end)
    catch
      kind, reason ->
        into.(initial, :halt)
        :erlang.raise(kind, reason, __STACKTRACE__)
    else
      acc -> into.(acc, :done)
    end
  end

  # ---- slicing ----------------------------------------------------------------

  def take(_enumerable, 0), do: []

  def take(enumerable, count) when is_integer(count) and count > 0 do
    {taken, _} =
      walk(enumerable, {[], count}, fn x, {acc, n} ->
        if n == 1, do: {:halt, {[x | acc], 0}}, else: {:cont, {[x | acc], n - 1}}
      end)

    :lists.reverse(taken)
  end

  def take(enumerable, count) when is_integer(count) do
    list = to_list(enumerable)
    drop_list(list, :erlang.max(length(list) + count, 0))
  end

  def drop(enumerable, count) when is_integer(count) and count >= 0, do: drop_list(to_list(enumerable), count)

  def drop(enumerable, count) when is_integer(count) do
    list = to_list(enumerable)
    :lists.sublist(list, :erlang.max(length(list) + count, 0))
  end

  defp drop_list(list, 0), do: list
  defp drop_list([], _count), do: []
  defp drop_list([_ | tail], count), do: drop_list(tail, count - 1)

  def take_every(_enumerable, 0), do: []
  def take_every(enumerable, nth) when is_integer(nth) and nth > 0,
    do: for({x, i} <- with_index(enumerable), rem(i, nth) == 0, do: x)

  def drop_every(enumerable, 0), do: to_list(enumerable)
  def drop_every(enumerable, nth) when is_integer(nth) and nth > 0,
    do: for({x, i} <- with_index(enumerable), rem(i, nth) != 0, do: x)

  def take_while(enumerable, fun) do
    enumerable
    |> walk([], fn x, acc -> if fun.(x), do: {:cont, [x | acc]}, else: {:halt, acc} end)
    |> :lists.reverse()
  end

  def drop_while(enumerable, fun), do: :lists.dropwhile(fun, to_list(enumerable))

  def split(enumerable, count) when is_integer(count) and count >= 0 do
    list = to_list(enumerable)
    :lists.split(:erlang.min(count, length(list)), list)
  end

  def split(enumerable, count) when is_integer(count) do
    list = to_list(enumerable)
    :lists.split(:erlang.max(length(list) + count, 0), list)
  end

  def split_while(enumerable, fun), do: :lists.splitwith(fun, to_list(enumerable))

  def split_with(enumerable, fun) do
    {yes, no} =
      reduce(enumerable, {[], []}, fn x, {yes, no} ->
        if fun.(x), do: {[x | yes], no}, else: {yes, [x | no]}
      end)

    {:lists.reverse(yes), :lists.reverse(no)}
  end

  # A decreasing range without a step (`1..-2`) slices as if its step were 1, as in Elixir 1.14.
  def slice(enumerable, first..last//-1) when first > last, do: slice(enumerable, first..last//1)

  def slice(enumerable, first..last//step) do
    list = to_list(enumerable)
    size = length(list)
    first = if first < 0, do: first + size, else: first
    last = if last < 0, do: last + size, else: last

    if step > 0 and first >= 0 and first < size and last >= first do
      list |> drop_list(first) |> :lists.sublist(:erlang.min(last, size - 1) - first + 1) |> take_every(step)
    else
      []
    end
  end

  def slice(enumerable, start, amount) when is_integer(start) and is_integer(amount) and amount >= 0 do
    list = to_list(enumerable)
    start = if start < 0, do: :erlang.max(start + length(list), 0), else: start
    list |> drop_list(start) |> :lists.sublist(amount)
  end

  # ---- chunking ---------------------------------------------------------------

  def chunk_every(enumerable, count), do: chunk_every(enumerable, count, count, [])

  def chunk_every(enumerable, count, step, leftover \\ [])
      when is_integer(count) and count > 0 and is_integer(step) and step > 0 do
    chunks(to_list(enumerable), count, step, leftover)
  end

  defp chunks([], _count, _step, _leftover), do: []

  defp chunks(list, count, step, leftover) do
    {chunk, _} = :lists.split(:erlang.min(count, length(list)), list)

    cond do
      length(chunk) == count and length(list) > step -> [chunk | chunks(drop_list(list, step), count, step, leftover)]
      length(chunk) == count -> [chunk]
      leftover == :discard -> []
      true -> [chunk ++ take(leftover, count - length(chunk))]
    end
  end

  def chunk_by(enumerable, fun) do
    chunk_while(
      enumerable,
      nil,
      fn
        x, nil -> {:cont, {fun.(x), [x]}}
        x, {key, chunk} ->
          new_key = fun.(x)
          if new_key == key, do: {:cont, {key, [x | chunk]}}, else: {:cont, :lists.reverse(chunk), {new_key, [x]}}
      end,
      fn
        nil -> {:cont, nil}
        {_key, chunk} -> {:cont, :lists.reverse(chunk), nil}
      end
    )
  end

  def chunk_while(enumerable, acc, chunk_fun, after_fun) do
    {chunks, acc} =
      walk(enumerable, {[], acc}, fn x, {chunks, acc} ->
        case chunk_fun.(x, acc) do
          {:cont, chunk, acc} -> {:cont, {[chunk | chunks], acc}}
          {:cont, acc} -> {:cont, {chunks, acc}}
          {:halt, acc} -> {:halt, {chunks, acc}}
        end
      end)

    case after_fun.(acc) do
      {:cont, chunk, _acc} -> :lists.reverse([chunk | chunks])
      {:cont, _acc} -> :lists.reverse(chunks)
    end
  end

  def dedup(enumerable), do: dedup_by(enumerable, fn x -> x end)

  def dedup_by(enumerable, fun) do
    {kept, _} =
      reduce(enumerable, {[], make_ref()}, fn x, {acc, previous} ->
        key = fun.(x)
        if key === previous, do: {acc, previous}, else: {[x | acc], key}
      end)

    :lists.reverse(kept)
  end

  def uniq(enumerable), do: uniq_by(enumerable, fn x -> x end)

  def uniq_by(enumerable, fun) do
    {kept, _} =
      reduce(enumerable, {[], %{}}, fn x, {acc, seen} ->
        key = fun.(x)
        if :erlang.is_map_key(key, seen), do: {acc, seen}, else: {[x | acc], Map.put(seen, key, true)}
      end)

    :lists.reverse(kept)
  end

  # ---- grouping and counting ------------------------------------------------

  def frequencies(enumerable), do: frequencies_by(enumerable, fn x -> x end)

  def frequencies_by(enumerable, fun),
    do: reduce(enumerable, %{}, fn x, acc -> Map.update(acc, fun.(x), 1, &(&1 + 1)) end)

  def group_by(enumerable, key_fun, value_fun \\ fn x -> x end) do
    enumerable
    |> reverse()
    |> reduce(%{}, fn x, acc -> Map.update(acc, key_fun.(x), [value_fun.(x)], &[value_fun.(x) | &1]) end)
  end

  # ---- joining ------------------------------------------------------------------

  def join(enumerable, joiner \\ "") when is_binary(joiner) do
    enumerable
    |> map(&entry_to_string/1)
    |> join_parts(joiner)
  end

  def map_join(enumerable, joiner \\ "", mapper) when is_binary(joiner) do
    enumerable
    |> map(fn x -> entry_to_string(mapper.(x)) end)
    |> join_parts(joiner)
  end

  defp join_parts(parts, ""), do: :erlang.iolist_to_binary(parts)
  defp join_parts([], _joiner), do: ""
  defp join_parts([first | rest], joiner), do: :erlang.iolist_to_binary([first | for(p <- rest, do: [joiner, p])])

  defp entry_to_string(binary) when is_binary(binary), do: binary
  defp entry_to_string(other), do: String.Chars.to_string(other)

  # ---- numbers and ordering ----------------------------------------------------

  def sum(enumerable), do: reduce(enumerable, 0, &+/2)
  def product(enumerable), do: reduce(enumerable, 1, &*/2)

  def max(enumerable, sorter \\ &>=/2, empty_fallback \\ fn -> raise Enum.EmptyError end),
    do: pick(enumerable, fn x -> x end, max_sorter(sorter), empty_fallback)

  def min(enumerable, sorter \\ &<=/2, empty_fallback \\ fn -> raise Enum.EmptyError end),
    do: pick(enumerable, fn x -> x end, min_sorter(sorter), empty_fallback)

  def max_by(enumerable, fun, sorter \\ &>=/2, empty_fallback \\ fn -> raise Enum.EmptyError end),
    do: pick(enumerable, fun, max_sorter(sorter), empty_fallback)

  def min_by(enumerable, fun, sorter \\ &<=/2, empty_fallback \\ fn -> raise Enum.EmptyError end),
    do: pick(enumerable, fun, min_sorter(sorter), empty_fallback)

  def min_max(enumerable, empty_fallback \\ fn -> raise Enum.EmptyError end) do
    case to_list(enumerable) do
      [] -> empty_fallback.()
      list -> {:lists.min(list), :lists.max(list)}
    end
  end

  def min_max_by(enumerable, fun, empty_fallback \\ fn -> raise Enum.EmptyError end) do
    case to_list(enumerable) do
      [] -> empty_fallback.()
      list -> {pick(list, fun, &<=/2, empty_fallback), pick(list, fun, &>=/2, empty_fallback)}
    end
  end

  # A fallback given in the sorter's place (Elixir's max/2 with a function of arity 0).
  defp pick(enumerable, fun, sorter, _fallback) when is_function(sorter, 0),
    do: pick(enumerable, fun, &>=/2, sorter)

  defp pick(enumerable, fun, sorter, fallback) do
    case to_list(enumerable) do
      [] ->
        fallback.()

      [first | rest] ->
        {best, _key} =
          :lists.foldl(
            fn x, {best, best_key} ->
              key = fun.(x)
              if sorter.(best_key, key), do: {best, best_key}, else: {x, key}
            end,
            {first, fun.(first)},
            rest
          )

        best
    end
  end

  defp max_sorter(:asc), do: &>=/2
  defp max_sorter(:desc), do: &<=/2
  defp max_sorter(module) when is_atom(module), do: &(module.compare(&1, &2) != :lt)
  defp max_sorter(fun), do: fun

  defp min_sorter(:asc), do: &<=/2
  defp min_sorter(:desc), do: &>=/2
  defp min_sorter(module) when is_atom(module), do: &(module.compare(&1, &2) != :gt)
  defp min_sorter(fun), do: fun

  def sort(enumerable), do: :lists.sort(to_list(enumerable))
  def sort(enumerable, sorter), do: :lists.sort(sort_fun(sorter), to_list(enumerable))

  def sort_by(enumerable, mapper, sorter \\ :asc) do
    order = sort_fun(sorter)

    enumerable
    |> map(fn x -> {mapper.(x), x} end)
    |> then(&:lists.sort(fn {a, _}, {b, _} -> order.(a, b) end, &1))
    |> map(fn {_key, x} -> x end)
  end

  defp sort_fun(:asc), do: &<=/2
  defp sort_fun(:desc), do: &>=/2
  defp sort_fun({:asc, module}), do: &(module.compare(&1, &2) != :gt)
  defp sort_fun({:desc, module}), do: &(module.compare(&1, &2) != :lt)
  defp sort_fun(module) when is_atom(module), do: &(module.compare(&1, &2) != :gt)
  defp sort_fun(fun) when is_function(fun, 2), do: fun

  # ---- zipping --------------------------------------------------------------------

  def zip(left, right), do: zip([left, right])

  def zip(enumerables), do: zip_with(enumerables, &:erlang.list_to_tuple/1)

  def zip_with(left, right, fun), do: zip_with([left, right], fn [a, b] -> fun.(a, b) end)

  # Lazy collections (streams) are cut to the shortest finite one, so a list can be
  # zipped with an endless stream.
  def zip_with(enumerables, fun) do
    lists = map(enumerables, fn e -> if is_function(e), do: e, else: to_list(e) end)

    case for(list <- lists, is_list(list), do: length(list)) do
      [] -> if lists == [], do: [], else: zip_lists(map(lists, &to_list/1), fun)
      sizes -> zip_lists(map(lists, &take_list(&1, :lists.min(sizes))), fun)
    end
  end

  defp take_list(list, _count) when is_list(list), do: list
  defp take_list(stream, count), do: take(stream, count)

  defp zip_lists(lists, fun) do
    if any?(lists, &(&1 == [])) do
      []
    else
      [fun.(map(lists, &hd/1)) | zip_lists(map(lists, &tl/1), fun)]
    end
  end

  def zip_reduce(left, right, acc, fun),
    do: reduce(zip(left, right), acc, fn {a, b}, acc -> fun.(a, b, acc) end)

  def zip_reduce(enumerables, acc, fun), do: reduce(zip_with(enumerables, & &1), acc, fun)

  def unzip(enumerable) do
    {lefts, rights} = reduce(enumerable, {[], []}, fn {a, b}, {l, r} -> {[a | l], [b | r]} end)
    {:lists.reverse(lefts), :lists.reverse(rights)}
  end
end
