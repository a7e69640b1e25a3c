defmodule StreamLazy do
  def start do
    [
      Stream.iterate(1, &(&1 * 2)) |> Enum.take(10),
      Stream.unfold(5, fn 0 -> nil; n -> {n, n - 1} end) |> Enum.to_list(),
      Stream.cycle([:a, :b, :c]) |> Enum.take(7),
      1..1_000_000 |> Stream.map(&(&1 * 3)) |> Stream.filter(&(rem(&1, 2) == 0)) |> Enum.take(5),
      Stream.reject(1..10, &(rem(&1, 3) == 0)) |> Enum.to_list(),
      Stream.take(1..100, 3) |> Enum.to_list(),
      Stream.take([1, 2], 10) |> Enum.to_list(),
      Stream.drop(1..10, 7) |> Enum.to_list(),
      Stream.take_while(Stream.iterate(1, &(&1 + 1)), &(&1 < 5)) |> Enum.to_list(),
      Stream.drop_while(1..8, &(&1 < 6)) |> Enum.to_list(),
      Stream.with_index([:x, :y], 1) |> Enum.to_list(),
      Stream.flat_map(1..3, &[&1, &1 * 10]) |> Enum.to_list(),
      Stream.flat_map(Stream.iterate(1, &(&1 + 1)), &[&1, -&1]) |> Enum.take(5),
      Stream.concat([1, 2], 3..4) |> Enum.to_list(),
      Stream.concat([[1], Stream.iterate(2, &(&1 + 1))]) |> Enum.take(4),
      Stream.dedup([1, 1, 2, 2, 1]) |> Enum.to_list(),
      Stream.uniq([3, 1, 3, 2, 1]) |> Enum.to_list(),
      Stream.scan(1..5, 0, &(&1 + &2)) |> Enum.to_list(),
      Enum.zip([:a, :b, :c], Stream.iterate(0, &(&1 + 1))),
      Stream.map(1..3, &(&1 + 1)) |> Enum.sum(),
      Stream.iterate(1, &(&1 + 1)) |> Enum.find(&(&1 * &1 > 50)),
      Stream.iterate(1, &(&1 + 1)) |> Stream.map(&(&1 * &1)) |> Enum.take_while(&(&1 < 30)),
      Stream.with_index(Stream.cycle([:on, :off])) |> Stream.take(3) |> Enum.map(fn {s, i} -> "#{i}#{s}" end),
      Enum.reduce_while(Stream.iterate(1, &(&1 + 1)), 0, fn x, acc -> if acc > 10, do: {:halt, acc}, else: {:cont, acc + x} end),
      Stream.take(Stream.iterate(1, &(&1 + 1)), 4) |> Stream.map(&(&1 * 10)) |> Enum.into([]),
      Stream.map([1, 2], & &1) |> Enum.member?(2),
      Stream.each([1, 2], &send(self(), {:seen, &1})) |> Stream.run()
    ]
    |> Enum.each(&IO.inspect/1)

    for n <- Stream.take(Stream.iterate(10, &(&1 - 3)), 3), do: IO.puts(n)
    IO.inspect(Process.info(self(), :message_queue_len))
    :ok
  end
end
