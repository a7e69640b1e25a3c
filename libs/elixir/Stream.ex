defmodule Stream do
  @moduledoc """
  Lazy collections for the device, the common part of Elixir's Stream. A
  stream here is a two-argument function, the shape Elixir's own streams take
  on the Enumerable protocol (see `Enumerable.Function`): called with the
  reduce command and the consumer's function, it walks its source and applies
  its step, so nothing is computed until Enum (or `run/1`) consumes it.

  Limits: streams answer the `:cont` and `:halt` commands only (Enum never
  suspends on the device), and they print as functions, not as `#Stream<...>`.
  """
  @compile {:autoload, false}

  # ---- sources ----------------------------------------------------------------

  def iterate(start, next), do: unfold(start, fn value -> {value, next.(value)} end)

  def unfold(state, next) do
    fn acc, fun -> unfold_walk(state, next, acc, fun) end
  end

  defp unfold_walk(_state, _next, {:halt, acc}, _fun), do: {:halted, acc}

  defp unfold_walk(state, next, {:cont, acc}, fun) do
    case next.(state) do
      nil -> {:done, acc}
      {value, state} -> unfold_walk(state, next, fun.(value, acc), fun)
    end
  end

  def cycle(enumerable) do
    list = Enum.to_list(enumerable)
    if list == [], do: raise(ArgumentError, "cannot cycle over an empty enumerable")
    unfold(list, fn
      [value | rest] -> {value, if(rest == [], do: list, else: rest)}
    end)
  end

  def repeatedly(generator), do: unfold(nil, fn nil -> {generator.(), nil} end)

  def concat(enumerables), do: flat_map(enumerables, & &1)
  def concat(first, second), do: flat_map([first, second], & &1)

  # ---- steps --------------------------------------------------------------------

  def map(enumerable, mapper), do: step(enumerable, fn x, acc, fun -> fun.(mapper.(x), acc) end)

  def filter(enumerable, keep),
    do: step(enumerable, fn x, acc, fun -> if keep.(x), do: fun.(x, acc), else: {:cont, acc} end)

  def reject(enumerable, drop),
    do: step(enumerable, fn x, acc, fun -> if drop.(x), do: {:cont, acc}, else: fun.(x, acc) end)

  def each(enumerable, action), do: map(enumerable, fn x -> (action.(x); x) end)

  def flat_map(enumerable, mapper) do
    step(enumerable, fn x, acc, fun ->
      case Enumerable.reduce(mapper.(x), {:cont, acc}, fun) do
        {:halted, acc} -> {:halt, acc}
        {:done, acc} -> {:cont, acc}
      end
    end)
  end

  # A stateful step sees the element, the consumer's accumulator and its own state.
  def take(_enumerable, 0), do: fn {_, acc}, _fun -> {:done, acc} end

  def take(enumerable, count) when is_integer(count) and count > 0 do
    stateful(enumerable, count, fn x, acc, left, fun ->
      case fun.(x, acc) do
        {:cont, acc} when left > 1 -> {:cont, acc, left - 1}
        {:cont, acc} -> {:stop, acc, 0}
        {:halt, acc} -> {:halt, acc, 0}
      end
    end)
  end

  def drop(enumerable, count) when is_integer(count) and count >= 0 do
    stateful(enumerable, count, fn
      x, acc, 0, fun -> with_state(fun.(x, acc), 0)
      _x, acc, left, _fun -> {:cont, acc, left - 1}
    end)
  end

  def take_while(enumerable, keep) do
    stateful(enumerable, nil, fn x, acc, nil, fun ->
      if keep.(x), do: with_state(fun.(x, acc), nil), else: {:stop, acc, nil}
    end)
  end

  def drop_while(enumerable, drop) do
    stateful(enumerable, true, fn x, acc, dropping, fun ->
      if dropping and drop.(x), do: {:cont, acc, true}, else: with_state(fun.(x, acc), false)
    end)
  end

  def with_index(enumerable, offset \\ 0) do
    stateful(enumerable, offset, fn x, acc, index, fun -> with_state(fun.({x, index}, acc), index + 1) end)
  end

  def dedup(enumerable) do
    stateful(enumerable, {:none}, fn x, acc, last, fun ->
      if last == {:seen, x}, do: {:cont, acc, last}, else: with_state(fun.(x, acc), {:seen, x})
    end)
  end

  def uniq(enumerable) do
    stateful(enumerable, %{}, fn x, acc, seen, fun ->
      if :erlang.is_map_key(x, seen), do: {:cont, acc, seen}, else: with_state(fun.(x, acc), Map.put(seen, x, true))
    end)
  end

  def scan(enumerable, acc0, reducer) do
    stateful(enumerable, acc0, fn x, acc, state, fun ->
      state = reducer.(x, state)
      with_state(fun.(state, acc), state)
    end)
  end

  # ---- running ------------------------------------------------------------------

  def run(enumerable) do
    Enumerable.reduce(enumerable, {:cont, nil}, fn _, _ -> {:cont, nil} end)
    :ok
  end

  # ---- the two ways of building a stream ------------------------------------------

  defp step(enumerable, each) do
    fn
      {:halt, acc}, _fun -> {:halted, acc}
      {:cont, acc}, fun -> Enumerable.reduce(enumerable, {:cont, acc}, &each.(&1, &2, fun))
    end
  end

  # `each` answers {:cont, acc, state}, {:halt, acc, state} (the consumer stopped) or
  # {:stop, acc, state} (this step ends the stream: the consumer sees it done).
  defp stateful(enumerable, initial, each) do
    fn
      {:halt, acc}, _fun ->
        {:halted, acc}

      {:cont, acc}, fun ->
        result =
          Enumerable.reduce(enumerable, {:cont, {:go, acc, initial}}, fn x, {_, acc, state} ->
            case each.(x, acc, state, fun) do
              {:cont, acc, state} -> {:cont, {:go, acc, state}}
              {:halt, acc, state} -> {:halt, {:halted, acc, state}}
              {:stop, acc, state} -> {:halt, {:done, acc, state}}
            end
          end)

        case result do
          {:done, {_, acc, _}} -> {:done, acc}
          {:halted, {outcome, acc, _}} -> {outcome, acc}
        end
    end
  end

  defp with_state({:cont, acc}, state), do: {:cont, acc, state}
  defp with_state({:halt, acc}, state), do: {:halt, acc, state}
end
