defmodule PatternMatching do
  def start do
    {a, [b, c | rest], %{key: d}} = {1, [2, 3, 4, 5], %{key: "d", other: 0}}
    IO.puts("#{a} #{b} #{c} #{Enum.join(rest, ",")} #{d}")
    <<header::binary-size(2), len::8, payload::binary>> = <<"AB", 3, "xyz">>
    IO.puts("#{header} #{len} #{payload}")
    "hello " <> name = "hello world"
    IO.puts(name)
    pinned = 5
    IO.puts(match?(^pinned, 5) and not match?(^pinned, 6))
    IO.puts(Enum.map([1, -1, 0, 2.5, :x, "s", [1], {1}], &classify/1) |> Enum.join(" "))
    IO.puts(Enum.map([[], [1], [1, 2], [1, 2, 3]], &size_word/1) |> Enum.join(" "))
    IO.puts(fizzbuzz(1..15) |> Enum.join(","))
    IO.puts(Enum.map([{:ok, 1}, {:error, :nope}, :other], &result/1) |> Enum.join(" "))
    IO.puts(sum_list([1, 2, 3, 4]) + factorial(10))
    %{name: n} = person = %{name: "ann", age: 9}
    IO.puts("#{n} #{person.age}")
    [first | _] = String.split("a b c")
    IO.puts(first)
    {:ok, value} = Map.fetch(%{x: 10}, :x)
    IO.puts(value)
    IO.puts(errors() |> Enum.join("\n"))
  end

  defp classify(x) when is_integer(x) and x > 0, do: "pos"
  defp classify(x) when is_integer(x) and x < 0, do: "neg"
  defp classify(0), do: "zero"
  defp classify(x) when is_float(x), do: "float"
  defp classify(x) when is_atom(x), do: "atom"
  defp classify(x) when is_binary(x), do: "bin"
  defp classify(x) when is_list(x), do: "list"
  defp classify(_), do: "other"

  defp size_word(list) do
    case list do
      [] -> "empty"
      [_] -> "one"
      [_, _] -> "two"
      _ -> "many"
    end
  end

  defp fizzbuzz(range) do
    for n <- range do
      cond do
        rem(n, 15) == 0 -> "FizzBuzz"
        rem(n, 3) == 0 -> "Fizz"
        rem(n, 5) == 0 -> "Buzz"
        true -> n
      end
    end
  end

  defp result({:ok, v}), do: "ok:#{v}"
  defp result({:error, reason}), do: "error:#{reason}"
  defp result(other), do: "?#{other}"

  defp sum_list([]), do: 0
  defp sum_list([h | t]), do: h + sum_list(t)

  defp factorial(0), do: 1
  defp factorial(n), do: n * factorial(n - 1)

  defp errors do
    [
      fn -> Enum.max([]) end,
      fn -> Enum.fetch!([1], 5) end,
      fn -> Enum.reduce([], &(&1 + &2)) end,
      fn -> Map.update!(%{a: 1}, :b, & &1) end,
      fn -> Keyword.fetch!([a: 1], :b) end,
      fn -> List.to_string([:bad]) end,
      fn -> Base.decode16!("zz") end,
      fn -> Base.decode16!("ABC") end,
      fn -> Base.decode64!("QQ") end,
      fn -> Base.decode32!("MZ1=====") end,
      fn -> Enum.sum([1, :a]) end
    ]
    |> Enum.map(fn f ->
      try do
        f.()
        "no error"
      rescue
        e -> "#{inspect(e.__struct__)}: #{Exception.message(e)}"
      end
    end)
  end
end
