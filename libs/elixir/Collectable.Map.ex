defimpl Collectable, for: Map do
  @moduledoc "Collecting into a map puts each `{key, value}` pair, later keys winning."
  @compile {:autoload, false}

  def into(map) do
    {map,
     fn
       acc, {:cont, {key, value}} -> :maps.put(key, value, acc)
       acc, :done -> acc
       _acc, :halt -> :ok
     end}
  end
end
