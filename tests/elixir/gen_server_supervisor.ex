defmodule GenServerSupervisor do
  defmodule Counter do
    use GenServer

    def start_link(initial), do: GenServer.start_link(__MODULE__, initial, name: __MODULE__)
    def increment(by \\ 1), do: GenServer.cast(__MODULE__, {:increment, by})
    def value, do: GenServer.call(__MODULE__, :value)

    @impl true
    def init(initial), do: {:ok, initial}

    @impl true
    def handle_call(:value, _from, count), do: {:reply, count, count}
    def handle_call({:slow, ms}, from, count) do
      Process.send_after(self(), {:answer, from}, ms)
      {:noreply, count}
    end

    @impl true
    def handle_cast({:increment, by}, count), do: {:noreply, count + by}

    @impl true
    def handle_info({:answer, from}, count) do
      GenServer.reply(from, {:late, count})
      {:noreply, count}
    end
  end

  defmodule Stack do
    use GenServer

    def start_link(items), do: GenServer.start_link(__MODULE__, items)

    @impl true
    def init(items), do: {:ok, items}

    @impl true
    def handle_call(:pop, _from, [top | rest]), do: {:reply, top, rest}
    def handle_call(:pop, _from, []), do: {:reply, nil, []}

    @impl true
    def handle_cast({:push, item}, items), do: {:noreply, [item | items]}
  end

  defmodule Sup do
    use Supervisor

    def start_link(arg), do: Supervisor.start_link(__MODULE__, arg, name: __MODULE__)

    @impl true
    def init(initial) do
      children = [
        {Counter, initial},
        Supervisor.child_spec({Stack, [:a]}, id: :stack_one),
        %{id: :stack_two, start: {Stack, :start_link, [[:b]]}}
      ]

      Supervisor.init(children, strategy: :one_for_one, max_restarts: 5)
    end
  end

  def start do
    {:ok, stack} = Stack.start_link([1, 2])
    GenServer.cast(stack, {:push, 0})
    IO.inspect(GenServer.call(stack, :pop))
    IO.inspect(GenServer.call(stack, :pop))
    IO.inspect(GenServer.whereis(stack) == stack)
    IO.inspect(GenServer.whereis(:nobody_here))
    :ok = GenServer.stop(stack)
    IO.inspect(Process.alive?(stack))

    IO.inspect(Counter.child_spec(5))
    IO.inspect(Supervisor.child_spec({Stack, [1]}, id: :s, restart: :transient))
    IO.inspect(Supervisor.init([{Counter, 1}], strategy: :one_for_all))

    {:ok, sup} = Sup.start_link(10)
    Counter.increment()
    Counter.increment(5)
    IO.inspect(Counter.value())
    IO.inspect(GenServer.call(Counter, {:slow, 20}))
    IO.inspect(Supervisor.count_children(sup))
    ids = for {id, pid, type, modules} <- Supervisor.which_children(sup), is_pid(pid), do: {id, type, modules}
    IO.inspect(Enum.sort(ids))

    # (A crashing child is not shown: the supervisor's report goes to the console on the
    # device and to the logger on the host.)
    IO.inspect(Supervisor.terminate_child(sup, :stack_one))
    IO.inspect(Supervisor.restart_child(sup, :stack_one) |> elem(0))
    IO.inspect(Supervisor.terminate_child(sup, :stack_two))
    IO.inspect(Supervisor.delete_child(sup, :stack_two))
    IO.inspect(Supervisor.count_children(sup))

    result =
      try do
        GenServer.call(:nobody_here, :hello)
      catch
        :exit, reason -> reason
      end

    IO.inspect(result)

    result =
      try do
        GenServer.call(Counter, {:slow, 500}, 10)
      catch
        :exit, {reason, {GenServer, :call, _}} -> reason
      end

    IO.inspect(result)
    Supervisor.stop(sup)
    IO.inspect(Process.whereis(Counter))

    {:ok, plain} = Supervisor.start_link([{Stack, [9]}, Supervisor.child_spec({Stack, [8]}, id: :second)],
                                         strategy: :rest_for_one, name: :plain_sup)
    IO.inspect(Process.whereis(:plain_sup) == plain)
    [{_, second, _, _}, {_, first, _, _}] = Supervisor.which_children(plain)
    IO.inspect({GenServer.call(first, :pop), GenServer.call(second, :pop)})
    {:ok, extra} = Supervisor.start_child(plain, %{id: :third, start: {Stack, :start_link, [[7]]}})
    IO.inspect(GenServer.call(extra, :pop))
    IO.inspect(Supervisor.start_child(plain, %{id: :third, start: {Stack, :start_link, [[7]]}}) |> elem(1) |> elem(0))
    :ok = Supervisor.stop(plain)
    :ok
  end
end
