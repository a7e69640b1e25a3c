defimpl Enumerable, for: Range do
  @moduledoc "Ranges walk without building a list; count, membership and slices are arithmetic."
  @compile {:autoload, false}

  def count(range), do: {:ok, Range.size(range)}

  def member?(first..last//step, value) when is_integer(value) do
    inside =
      if step > 0,
        do: first <= value and value <= last,
        else: last <= value and value <= first

    {:ok, inside and rem(value - first, step) == 0}
  end

  def member?(_range, _value), do: {:ok, false}

  def slice(first.._last//step = range) do
    {:ok, Range.size(range), fn start, length -> take(first + start * step, step, length) end}
  end

  defp take(_value, _step, 0), do: []
  defp take(value, step, length), do: [value | take(value + step, step, length - 1)]

  def reduce(first..last//step, acc, fun), do: walk(first, last, step, acc, fun)

  defp walk(_value, _last, _step, {:halt, acc}, _fun), do: {:halted, acc}

  defp walk(value, last, step, {:suspend, acc}, fun),
    do: {:suspended, acc, &walk(value, last, step, &1, fun)}

  defp walk(value, last, step, {:cont, acc}, fun)
       when (step > 0 and value <= last) or (step < 0 and value >= last),
       do: walk(value + step, last, step, fun.(value, acc), fun)

  defp walk(_value, _last, _step, {:cont, acc}, _fun), do: {:done, acc}
end
