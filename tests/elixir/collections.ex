defmodule Collections do
  def start do
    m = %{a: 1, b: 2, c: 3}
    IO.puts("#{m[:a]} #{m.b} #{Map.get(m, :z, 0)} #{Map.fetch!(m, :c)} #{map_size(m)}")
    m2 = m |> Map.put(:d, 4) |> Map.delete(:a) |> Map.update!(:b, &(&1 * 10)) |> Map.update(:e, 5, &(&1 + 1))
    IO.puts(m2 |> Enum.map_join(",", fn {k, v} -> "#{k}=#{v}" end))
    IO.puts(Map.keys(m) |> Enum.join() |> Kernel.<>(Enum.join(Map.values(m))))
    IO.puts(Map.merge(m, %{a: 100, z: 26}) |> Map.to_list() |> Enum.map_join(" ", fn {k, v} -> "#{k}#{v}" end))
    IO.puts(Map.merge(m, %{a: 100}, fn _k, v1, v2 -> v1 + v2 end) |> Map.get(:a))
    IO.puts(Map.take(m, [:a, :b]) |> Map.keys() |> Enum.join() |> Kernel.<>(Map.drop(m, [:a]) |> Map.keys() |> Enum.join()))
    {v, rest} = Map.pop(m, :a)
    IO.puts("#{v} #{map_size(rest)} #{Map.has_key?(rest, :a)}")
    IO.puts(Map.new([{"x", 1}, {"y", 2}], fn {k, v} -> {k <> k, v * 2} end) |> Map.get("yy"))
    IO.puts(Map.filter(m, fn {_k, v} -> v > 1 end) |> map_size())
    {old, new} = Map.get_and_update(m, :a, fn cur -> {cur, cur + 1} end)
    IO.puts("#{old} #{new.a}")
    IO.puts(Map.put_new(m, :a, 9).a + Map.put_new(m, :q, 9).q)
    IO.puts(Map.replace(m, :zz, 1) == m)
    nested = %{user: %{name: "ann", langs: ["ex", "erl"]}}
    IO.puts(get_in(nested, [:user, :name]))
    IO.puts(put_in(nested, [:user, :name], "bob").user.name)
    IO.puts(update_in(nested, [:user, :langs], &["c" | &1]).user.langs |> Enum.join(","))
    IO.puts(put_in(nested.user.name, "cy") |> get_in([:user, :name]))

    kw = [name: "x", size: 3, name: "y"]
    IO.puts("#{kw[:name]} #{Keyword.get(kw, :size)} #{Keyword.get_values(kw, :name) |> Enum.join()}")
    IO.puts(Keyword.put(kw, :name, "z") |> Keyword.keys() |> Enum.join(","))
    IO.puts(Keyword.delete(kw, :name) |> length())
    IO.puts(Keyword.merge([a: 1, b: 2], [b: 3, c: 4]) |> Enum.map_join(",", fn {k, v} -> "#{k}#{v}" end))
    IO.puts(Keyword.has_key?(kw, :size) and Keyword.keyword?(kw) and not Keyword.keyword?([1]))
    IO.puts(Keyword.update([a: 1], :a, 0, &(&1 + 1)) |> Keyword.update(:b, 7, &(&1 + 1)) |> Enum.map_join(",", fn {k, v} -> "#{k}#{v}" end))
    IO.puts(Keyword.fetch([a: 1], :a) == {:ok, 1} and Keyword.fetch([a: 1], :b) == :error)
    IO.puts(Keyword.take([a: 1, b: 2, c: 3], [:a, :c]) |> Keyword.values() |> Enum.join())
    {val, kw2} = Keyword.pop([a: 1, b: 2], :a)
    IO.puts("#{val} #{Enum.join(Keyword.keys(kw2))}")

    s = MapSet.new([3, 1, 2, 3])
    IO.puts("#{MapSet.size(s)} #{MapSet.member?(s, 2)} #{MapSet.member?(s, 9)}")
    IO.puts(MapSet.put(s, 10) |> MapSet.delete(1) |> Enum.sort() |> Enum.join(","))
    t = MapSet.new(2..5)
    IO.puts(MapSet.union(s, t) |> MapSet.to_list() |> Enum.join(","))
    IO.puts(MapSet.intersection(s, t) |> Enum.join(",") |> Kernel.<>("/") |> Kernel.<>(MapSet.difference(s, t) |> Enum.join(",")))
    IO.puts(MapSet.subset?(MapSet.new([2, 3]), s) and not MapSet.disjoint?(s, t))
    IO.puts(Enum.into([1, 1, 4], MapSet.new()) |> MapSet.size())

    r = 1..10
    IO.puts("#{r.first} #{r.last} #{Range.size(r)} #{Range.size(1..10//3)} #{Enum.count(10..1)}")
    IO.puts(Enum.map(r, &(&1 * &1)) |> Enum.take(4) |> Enum.join(","))
    IO.puts(5 in r and 11 not in r)
    IO.puts(Range.disjoint?(1..5, 6..9) and not Range.disjoint?(1..5, 5..9))
    IO.puts(Enum.to_list(Range.new(1, 9, 4)) |> Enum.join(","))

    squares = for x <- 1..5, do: x * x
    IO.puts(Enum.join(squares, ","))
    pairs = for x <- [1, 2], y <- [:a, :b], do: "#{x}#{y}"
    IO.puts(Enum.join(pairs, ","))
    evens = for x <- 1..10, rem(x, 2) == 0, do: x
    IO.puts(Enum.join(evens, ","))
    into_map = for {k, v} <- [a: 1, b: 2], into: %{}, do: {v, k}
    IO.puts(into_map[2])
    into_str = for c <- ~c"abc", into: "", do: <<c + 1>>
    IO.puts(into_str)
    into_set = for x <- [1, 2, 2, 3], into: MapSet.new(), do: x
    IO.puts(MapSet.size(into_set))
    reduced = for x <- 1..4, reduce: 0 do
      acc -> acc + x
    end
    IO.puts(reduced)
    bits = for <<b <- "hi">>, do: b
    IO.puts(Enum.join(bits, ","))
    uniq = for x <- [1, 1, 2], uniq: true, do: x
    IO.puts(Enum.join(uniq, ","))

    IO.puts(check(%{name: "ann", age: 30}))
    IO.puts(check(%{name: "bob"}))
    IO.puts(check(%{name: "cy", age: 10}))
    IO.puts(check(%{}))
  end

  defp check(person) do
    with {:ok, name} <- Map.fetch(person, :name),
         {:ok, age} <- Map.fetch(person, :age),
         true <- age >= 18 do
      "#{name} is an adult (#{age})"
    else
      :error -> "missing field"
      false -> "#{person.name} is a minor"
    end
  end
end
