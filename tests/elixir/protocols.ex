defmodule Protocols do
  defmodule Point do
    defstruct x: 0, y: 0
  end

  defmodule Bag do
    defstruct items: []
  end

  defprotocol Shape do
    def area(shape)
  end

  defprotocol Describe do
    @fallback_to_any true
    def describe(term)
  end

  defimpl String.Chars, for: Point do
    def to_string(%Point{x: x, y: y}), do: "(#{x}, #{y})"
  end

  defimpl Enumerable, for: Bag do
    def count(%Bag{items: items}), do: {:ok, length(items)}
    def member?(%Bag{items: items}, value), do: {:ok, value in items}
    def slice(_bag), do: {:error, __MODULE__}

    def reduce(_bag, {:halt, acc}, _fun), do: {:halted, acc}
    def reduce(bag, {:suspend, acc}, fun), do: {:suspended, acc, &reduce(bag, &1, fun)}
    def reduce(%Bag{items: []}, {:cont, acc}, _fun), do: {:done, acc}
    def reduce(%Bag{items: [h | t]}, {:cont, acc}, fun), do: reduce(%Bag{items: t}, fun.(h, acc), fun)
  end

  defimpl Collectable, for: Bag do
    def into(%Bag{items: items}) do
      {items,
       fn
         acc, {:cont, x} -> [x | acc]
         acc, :done -> %Bag{items: acc}
         _acc, :halt -> :ok
       end}
    end
  end

  defimpl Shape, for: Point do
    def area(_point), do: 0
  end

  defimpl Shape, for: Tuple do
    def area({w, h}), do: w * h
  end

  defimpl Shape, for: Map do
    def area(%{r: r}), do: 3 * r * r
  end

  defimpl Describe, for: Integer do
    def describe(n), do: "integer #{n}"
  end

  defimpl Describe, for: Any do
    def describe(_term), do: "something"
  end

  def start do
    p = %Point{x: 1, y: -2}
    IO.puts("point #{p}")
    IO.puts(to_string(p) <> " " <> Enum.join([p, p], ";"))
    IO.puts("atom #{:ok} nil [#{nil}] bool #{true} int #{42} neg #{-7} float #{3.14} big #{12345678901234567890}")
    IO.puts("float #{1.0e-10} #{2.0e30} #{0.1 + 0.2} #{100.0} string #{"s"} charlist #{'abc'} iodata #{["a", ?b, ["c"]]}")
    IO.puts("module #{Enum} #{String.Chars} unicode #{"héllo"} #{[?é]}")

    bag = %Bag{items: [3, 1, 2]}
    IO.puts(Enum.sum(bag) + Enum.count(bag))
    IO.puts(Enum.map(bag, &(&1 * 2)) |> Enum.join(","))
    IO.puts(Enum.sort(bag) |> Enum.join(","))
    IO.puts(Enum.member?(bag, 2) and not Enum.member?(bag, 9))
    IO.puts(Enum.take(bag, 2) |> Enum.join(","))
    IO.puts(Enum.at(bag, 1))
    IO.puts(Enum.find(bag, &(&1 < 3)))
    IO.puts(Enum.to_list(bag) |> length())
    IO.puts(for x <- bag, into: "", do: "<#{x}>")
    filled = Enum.into([7, 8], %Bag{})
    IO.puts(Enum.join(filled.items, ","))
    filled = for x <- 1..3, into: %Bag{items: [0]}, do: x * x
    IO.puts(Enum.join(filled.items, ","))
    IO.puts(Enum.zip(bag, [:a, :b, :c]) |> Enum.map_join(" ", fn {n, a} -> "#{n}#{a}" end))

    IO.puts(Shape.area(p) + Shape.area({3, 4}) + Shape.area(%{r: 2}))
    IO.puts(Describe.describe(5) <> ", " <> Describe.describe(:atom) <> ", " <> Describe.describe(p))
    IO.puts(Shape.impl_for(p) == Shape.Protocols.Point and Shape.impl_for(1.0) == nil)

    result =
      try do
        Shape.area("no impl")
      rescue
        e in Protocol.UndefinedError -> "undefined: #{e.protocol} #{inspect(e.value)}"
      end

    IO.puts(result)

    result =
      try do
        "#{{1, 2}}"
      rescue
        e in Protocol.UndefinedError -> "interpolation: #{inspect(e.value)}"
      end

    IO.puts(result)
  end
end
