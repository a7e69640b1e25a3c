defmodule Supervisor.Spec do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  The old tuple-based child specifications (deprecated in Elixir, still accepted by
  `:supervisor`): `worker/3`, `supervisor/3` and `supervise/2`.
  """

  @shutdown %{worker: 5000, supervisor: :infinity}

  @doc "A worker child: `{id, {module, :start_link, args}, :permanent, 5000, :worker, [module]}`."
  def worker(module, args, options \\ []), do: child(:worker, module, args, options)

  @doc "A supervisor child (shutdown `:infinity`)."
  def supervisor(module, args, options \\ []), do: child(:supervisor, module, args, options)

  defp child(type, module, args, options) do
    get = fn key, default ->
      case :lists.keyfind(key, 1, options) do
        {^key, value} -> value
        false -> default
      end
    end

    {get.(:id, module), {module, get.(:function, :start_link), args}, get.(:restart, :permanent),
     get.(:shutdown, :maps.get(type, @shutdown)), type, get.(:modules, [module])}
  end

  @doc "The `{:ok, {{strategy, max_restarts, max_seconds}, children}}` of an `init/1`."
  def supervise(children, options) do
    strategy =
      case :lists.keyfind(:strategy, 1, options) do
        {:strategy, strategy} -> strategy
        false -> raise ArgumentError, "expected :strategy option to be given"
      end

    unique_ids!(children, %{})
    restarts = with {_, n} <- :lists.keyfind(:max_restarts, 1, options), do: n, else: (_ -> 3)
    seconds = with {_, n} <- :lists.keyfind(:max_seconds, 1, options), do: n, else: (_ -> 5)
    {:ok, {{strategy, restarts, seconds}, children}}
  end

  defp unique_ids!([], _seen), do: :ok

  defp unique_ids!([{id, _, _, _, _, _} | rest], seen) do
    case :maps.is_key(id, seen) do
      true -> raise ArgumentError, "duplicated id #{inspect(id)} found in the supervisor specification, please explicitly pass the :id option when defining this worker/supervisor"
      false -> unique_ids!(rest, :maps.put(id, true, seen))
    end
  end
end
