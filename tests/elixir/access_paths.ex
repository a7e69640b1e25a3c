defmodule AccessPaths do
  def start do
    data = %{users: [%{name: "ann", tags: {:a, :b}}, %{name: "bob", tags: {:c, :d}}], opts: [depth: 2]}
    IO.puts(get_in(data, [:users, Access.at(1), :name]))
    IO.puts(get_in(data, [:users, Access.all(), :name]) |> Enum.join(","))
    IO.puts(get_in(data, [:users, Access.at(0), :tags, Access.elem(1)]))
    IO.puts(get_in(data, [:opts, :depth]) + data[:opts][:depth])
    IO.puts(get_in(data, [Access.key(:missing, %{}), :x]) == nil)
    IO.puts(get_in(data, [Access.key!(:opts), :depth]))
    IO.puts(get_in(data, [:users, Access.filter(&(&1.name == "bob")), :name]) |> Enum.join())
    up = update_in(data, [:users, Access.all(), :name], &String.upcase/1)
    IO.puts(Enum.map_join(up.users, ",", & &1.name))
    up = put_in(data, [:users, Access.at(-1), :name], "cy")
    IO.puts(Enum.map_join(up.users, ",", & &1.name))
    {got, popped} = pop_in(data, [:users, Access.at(0)])
    IO.puts("#{got.name} #{length(popped.users)}")
    {old, new} = get_and_update_in(data, [:opts, :depth], &{&1, &1 * 10})
    IO.puts("#{old} #{new.opts[:depth]}")
    up = update_in(data, [:users, Access.at(0), :tags, Access.elem(0)], fn _ -> :z end)
    IO.puts(elem(hd(up.users).tags, 0))
    IO.puts(put_in(data, [:opts, :extra], true).opts |> Keyword.keys() |> Enum.join(","))
    IO.puts(get_in([1, 2], [Access.at!(1)]))

    try do
      get_in([1], [Access.at!(3)])
    rescue
      e -> IO.puts(Exception.message(e))
    end
  end
end
