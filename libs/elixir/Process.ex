defmodule Process do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Processes, their links, monitors, registered names, timers and dictionary, with Elixir's
  conventions over the Erlang built-ins (`nil` where Erlang says `undefined`, keyword
  options). `info/1` is not available: AtomVM only answers `info/2` for single items.
  """

  @type dest :: pid() | port() | atom() | {atom(), node()}

  @doc "Whether `pid` is a live local process."
  def alive?(pid), do: :erlang.is_process_alive(pid)

  @doc "Suspend the caller for `timeout` milliseconds (or `:infinity`)."
  @spec sleep(timeout()) :: :ok
  def sleep(timeout) when (is_integer(timeout) and timeout >= 0) or timeout == :infinity do
    receive after: (timeout -> :ok)
  end

  @doc "Send `msg` to `dest`; `opts` as `:erlang.send/3` (`:noconnect`, `:nosuspend`)."
  def send(dest, msg, opts), do: :erlang.send(dest, msg, opts)

  @doc "Send `msg` to `dest` after `time` milliseconds; returns the timer reference."
  @spec send_after(pid() | atom(), term(), non_neg_integer(), keyword()) :: reference()
  def send_after(dest, msg, time, _opts \\ []), do: :erlang.send_after(time, dest, msg)

  @doc "Cancel a timer: the milliseconds it had left, or `false`."
  def cancel_timer(timer, _opts \\ []), do: :erlang.cancel_timer(timer)

  @doc "Milliseconds left on a timer, or `false`."
  def read_timer(timer), do: :erlang.read_timer(timer)

  @doc "Send an exit signal with `reason` to `pid`."
  def exit(pid, reason), do: :erlang.exit(pid, reason)

  @doc "Start `fun` (or `module.function(args)`) in a new process with spawn options."
  def spawn(fun, opts), do: :erlang.spawn_opt(fun, opts)
  def spawn(module, function, args, opts), do: :erlang.spawn_opt(module, function, args, opts)

  @doc "Monitor `item` (a pid or registered name): a `:DOWN` message comes when it ends."
  def monitor(item), do: :erlang.monitor(:process, item)

  @doc "Stop monitoring; with `[:flush]`, drop a `:DOWN` message already received."
  def demonitor(ref, opts \\ []), do: :erlang.demonitor(ref, opts)

  @doc "Link the caller to `pid_or_port`."
  def link(pid_or_port), do: :erlang.link(pid_or_port)

  @doc "Remove the link to `pid_or_port`."
  def unlink(pid_or_port), do: :erlang.unlink(pid_or_port)

  @doc "Register `pid_or_port` as `name`."
  def register(pid_or_port, name) when is_atom(name), do: :erlang.register(name, pid_or_port)

  @doc "Remove the registered `name`."
  def unregister(name), do: :erlang.unregister(name)

  @doc "The pid or port registered as `name`, or `nil`."
  def whereis(name), do: nillify(:erlang.whereis(name))

  @doc "The registered names."
  def registered, do: :erlang.registered()

  @doc "Every live process."
  def list, do: :erlang.processes()

  @doc "Set a process flag; returns its old value."
  def flag(flag, value), do: :erlang.process_flag(flag, value)

  @doc "Set a process flag of `pid` (only `:save_calls` on BEAM)."
  def flag(pid, flag, value), do: :erlang.process_flag(pid, flag, value)

  @doc "`{item, value}` about `pid` (or a list for a list of items), `nil` for a dead process."
  def info(pid, :registered_name) do
    case :erlang.process_info(pid, :registered_name) do
      :undefined -> nil
      [] -> {:registered_name, []}
      other -> other
    end
  end

  def info(pid, item), do: nillify(:erlang.process_info(pid, item))

  @doc "The caller's group leader, or set `pid`'s to `leader`."
  def group_leader, do: :erlang.group_leader()
  def group_leader(pid, leader), do: :erlang.group_leader(leader, pid)

  @doc "The caller's process dictionary, or one value of it (`default` when absent)."
  def get, do: :erlang.get()

  def get(key, default \\ nil) do
    case :erlang.get(key) do
      :undefined -> default
      value -> value
    end
  end

  @doc "The keys of the process dictionary (holding `value`)."
  def get_keys, do: :erlang.get_keys()
  def get_keys(value), do: :erlang.get_keys(value)

  @doc "Store `value` under `key`; returns the old value or `nil`."
  def put(key, value), do: nillify(:erlang.put(key, value))

  @doc "Remove `key`; returns its value or `nil`."
  def delete(key), do: nillify(:erlang.erase(key))

  @doc "Wait for a message with the smallest heap, then call `module.function(args)`."
  def hibernate(module, function, args), do: :erlang.hibernate(module, function, args)

  defp nillify(:undefined), do: nil
  defp nillify(other), do: other
end
