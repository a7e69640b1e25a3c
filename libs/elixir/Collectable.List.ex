defimpl Collectable, for: List do
  @moduledoc "Collecting into a list appends the new elements after the given ones."
  @compile {:autoload, false}

  def into(list) do
    {[],
     fn
       acc, {:cont, x} -> [x | acc]
       acc, :done -> list ++ :lists.reverse(acc)
       _acc, :halt -> :ok
     end}
  end
end
