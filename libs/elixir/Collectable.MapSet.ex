defimpl Collectable, for: MapSet do
  @moduledoc "Collecting into a MapSet adds each element."
  @compile {:autoload, false}

  def into(set) do
    {set,
     fn
       acc, {:cont, x} -> MapSet.put(acc, x)
       acc, :done -> acc
       _acc, :halt -> :ok
     end}
  end
end
