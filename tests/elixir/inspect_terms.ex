defmodule InspectTerms do
  defmodule User do
    defstruct [:name, :age, roles: [], active: true]
  end

  def start do
    IO.inspect(:ok)
    IO.inspect([nil, true, false, :"with space", :+, :"9lives", :ok?, Foo.Bar, :"Elixir.foo", :_under])
    IO.inspect([1, -2, 3.0, -0.5, 1.0e100, 123_456_789_012_345_678_901])
    IO.inspect(["plain", "quote\" and \\ backslash", "tab\tnl\n", "interp \#{x}", "héllo", <<0, 1, 255>>])   # no bitstrings: AtomVM has none
    IO.inspect(['abc', [104, 105], [1, 2, 3], 'it\'s', [?a | ?b]])
    IO.inspect({:ok, {1, 2}, {}, [], %{}})
    IO.inspect(a: 1, b: "two", c: [three: 3])
    IO.inspect(%{name: "ann", age: 30})
    IO.inspect(%{"key" => :value, 1 => [2], {3} => 4.0, :atom => nil})
    IO.inspect(%User{name: "ann", age: 30})
    IO.inspect([1..10, 10..1, 1..10//3, MapSet.new([:b, :a])])
    IO.inspect(%ArgumentError{message: "bad"})
    IO.inspect(Enum.to_list(1..80))
    IO.inspect(Enum.map(1..15, &{&1, Integer.to_string(&1 * 1111)}))
    IO.inspect(Map.new(1..20, &{&1, &1 * &1}))
    IO.inspect(%{users: [%User{name: "a very long name indeed", age: 1}, %User{name: "another long one", age: 2, roles: [:admin, :dev]}]})
    IO.inspect([1, 2, 3], label: "numbers")
    IO.inspect(Enum.to_list(1..8), limit: 3)
    IO.inspect('abc', charlists: :as_lists)
    IO.inspect("abc", binaries: :as_binaries)
    IO.inspect(Enum.to_list(1..30), width: 30)
    IO.puts(inspect(Enum.to_list(1..60)))
    IO.puts(inspect(%{a: 1}, pretty: true) <> " " <> inspect([x: {1, 2}]))
    IO.puts(inspect(%User{}, structs: false))
    x = [1, 2, 3] |> IO.inspect(label: "before") |> Enum.map(&(&1 * 2)) |> IO.inspect(label: "after")
    IO.inspect(x == [2, 4, 6])
    :ok
  end
end
