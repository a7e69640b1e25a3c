defmodule Processes do
  def start do
    parent = self()

    pid = spawn(fn -> receive do {:ping, from} -> send(from, {:pong, self()}) end end)
    send(pid, {:ping, parent})
    receive do
      {:pong, ^pid} -> IO.puts("pong from the spawned process")
    after
      1000 -> IO.puts("no pong")
    end

    workers = for n <- 1..5, do: spawn(fn -> send(parent, {:square, n, n * n}) end)
    IO.inspect(length(workers))
    squares = for _ <- 1..5, do: (receive do {:square, n, sq} -> {n, sq} end)
    IO.inspect(Enum.sort(squares))

    {pid, ref} = spawn_monitor(fn -> exit(:bye) end)
    receive do
      {:DOWN, ^ref, :process, ^pid, reason} -> IO.inspect({:down, reason})
    end

    Process.flag(:trap_exit, true)
    linked = spawn_link(fn -> exit(:linked_exit) end)
    receive do
      {:EXIT, ^linked, reason} -> IO.inspect({:exit, reason})
    end

    Process.register(self(), :main_proc)
    IO.inspect(Process.whereis(:main_proc) == self())
    send(:main_proc, :to_myself)
    receive do
      :to_myself -> IO.puts("registered name works")
    end
    Process.unregister(:main_proc)
    IO.inspect(Process.whereis(:main_proc))

    Process.put(:key, 42)
    IO.inspect(Process.get(:key))
    IO.inspect(Process.get(:missing, :default))
    IO.inspect(Process.put(:key, 43))
    IO.inspect(Process.delete(:key))
    IO.inspect(Process.get(:key))

    timer = Process.send_after(self(), :tick, 30)
    IO.inspect(is_integer(Process.read_timer(timer)))
    receive do
      :tick -> IO.puts("tick")
    end
    cancelled = Process.send_after(self(), :never, 1000)
    IO.inspect(is_integer(Process.cancel_timer(cancelled)))
    IO.inspect(Process.cancel_timer(cancelled))

    Process.sleep(10)
    IO.inspect(Process.alive?(self()))
    IO.inspect(Process.info(self(), :trap_exit))
    IO.inspect(Process.info(self(), :registered_name))

    sleeper = spawn(fn -> Process.sleep(:infinity) end)
    ref = Process.monitor(sleeper)
    Process.exit(sleeper, :kill)
    receive do
      {:DOWN, ^ref, :process, _, reason} -> IO.inspect(reason)
    end
    IO.inspect(Process.alive?(sleeper))

    ref = Process.monitor(sleeper)
    receive do
      {:DOWN, ^ref, :process, _, reason} -> IO.inspect({:already_dead, reason})
    end

    receive do
      :nothing -> :ok
    after
      0 -> IO.puts("empty mailbox")
    end

    counter = spawn(fn -> count_loop(0) end)
    Enum.each(1..10, fn _ -> send(counter, :inc) end)
    send(counter, {:get, self()})
    receive do
      {:count, n} -> IO.inspect(n)
    end

    IO.inspect(Enum.sort([:b, :a]) |> Enum.map(&to_string/1))
    IO.inspect(System.convert_time_unit(2, :second, :millisecond))
    IO.inspect(Module.concat([Foo, "Bar", :Baz]))
    IO.inspect(Module.concat(Elixir.Foo, Bar))
    IO.inspect(Module.split(Foo.Bar))
    IO.inspect(Code.ensure_loaded?(Processes))
    IO.inspect(Code.ensure_loaded?(NotAModule))
    :ok
  end

  defp count_loop(n) do
    receive do
      :inc -> count_loop(n + 1)
      {:get, from} -> send(from, {:count, n})
    end
  end
end
