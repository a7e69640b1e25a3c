defimpl Collectable, for: BitString do
  @moduledoc "Collecting into a binary appends each bitstring (what `for ... into: \"\"` does)."
  @compile {:autoload, false}

  def into(binary) do
    {[binary],
     fn
       acc, {:cont, x} when is_bitstring(x) -> [acc | x]
       acc, :done -> :erlang.list_to_bitstring(acc)
       _acc, :halt -> :ok
     end}
  end
end
