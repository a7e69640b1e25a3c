defmodule Range do
  @moduledoc """
  Ranges as Elixir 1.14 builds them: `%Range{first, last, step}`; `first..last`
  without a step counts down when `last < first`.
  """
  @compile {:autoload, false}

  defstruct first: nil, last: nil, step: nil

  def new(first, last) when is_integer(first) and is_integer(last),
    do: %Range{first: first, last: last, step: if(first <= last, do: 1, else: -1)}

  def new(first, last, step) when is_integer(first) and is_integer(last) and is_integer(step) and step != 0,
    do: %Range{first: first, last: last, step: step}

  def new(first, last, step) do
    raise ArgumentError,
          "ranges (first..last//step) expect both sides to be integers and the step to be a " <>
            "non-zero integer, got: #{inspect(first)}..#{inspect(last)}//#{inspect(step)}"
  end

  def size(first..last//step) when step > 0 and first > last, do: 0
  def size(first..last//step) when step < 0 and first < last, do: 0
  def size(first..last//step), do: abs(div(last - first, step)) + 1

  def disjoint?(first1..last1//step1 = r1, first2..last2//step2 = r2) do
    if size(r1) == 0 or size(r2) == 0 do
      true
    else
      {lo1, hi1} = if step1 > 0, do: {first1, last1}, else: {last1, first1}
      {lo2, hi2} = if step2 > 0, do: {first2, last2}, else: {last2, first2}
      hi1 < lo2 or hi2 < lo1 or not Enum.any?(r1, &Enum.member?(r2, &1))
    end
  end

  def shift(first..last//step, steps), do: %Range{first: first + steps * step, last: last + steps * step, step: step}
end
