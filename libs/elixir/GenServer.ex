defmodule GenServer do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Elixir's face of `:gen_server`: starting a server with a `name:` option, calls whose
  exits name `GenServer.call/3` (as Elixir's do), casts, replies and stopping. A module's
  `use GenServer` is expanded by the compiler on the host; its default callbacks call back
  into this module and `Process`.
  """

  @type server :: pid() | atom() | {atom(), node()} | {:global, term()} | {:via, module(), term()}
  @type from :: {pid(), term()}

  @doc "Start a server linked to the caller: `{:ok, pid}`, `:ignore` or `{:error, reason}`."
  @spec start_link(module(), term(), keyword()) :: GenServer.on_start()
  def start_link(module, init_arg, options \\ []) when is_atom(module) and is_list(options),
    do: start(:start_link, module, init_arg, options)

  @doc "Start a server without a link."
  @spec start(module(), term(), keyword()) :: GenServer.on_start()
  def start(module, init_arg, options \\ []) when is_atom(module) and is_list(options),
    do: start(:start, module, init_arg, options)

  @type on_start :: {:ok, pid()} | :ignore | {:error, {:already_started, pid()} | term()}

  defp start(how, module, init_arg, options) do
    case :lists.keytake(:name, 1, options) do
      false -> apply(:gen_server, how, [module, init_arg, options])
      {:value, {:name, name}, rest} -> apply(:gen_server, how, [registration(name), module, init_arg, rest])
    end
  end

  defp registration(name) when is_atom(name), do: {:local, name}
  defp registration({:global, _} = name), do: name
  defp registration({:via, module, _} = name) when is_atom(module), do: name

  defp registration(other) do
    raise ArgumentError, """
    expected :name option to be one of the following:

      * nil
      * atom
      * {:global, term}
      * {:via, module, term}

    Got: #{inspect(other)}
    """
  end

  @doc """
  Send `request` to `server` and wait up to `timeout` ms for the reply. When the server is
  not there, dies or does not answer in time, the caller exits with
  `{reason, {GenServer, :call, [server, request, timeout]}}`.
  """
  @spec call(server(), term(), timeout()) :: term()
  def call(server, request, timeout \\ 5000) do
    case whereis(server) do
      nil ->
        exit({:noproc, {__MODULE__, :call, [server, request, timeout]}})

      pid when pid == self() ->
        exit({:calling_self, {__MODULE__, :call, [server, request, timeout]}})

      pid ->
        try do
          :gen_server."$call"(pid, :"$gen_call", request, timeout)
        catch
          :exit, reason -> exit({reason, {__MODULE__, :call, [server, request, timeout]}})
        else
          {:ok, reply} -> reply
        end
    end
  end

  @doc "Send `request` to `server` without waiting; always `:ok`."
  @spec cast(server(), term()) :: :ok
  def cast(server, request), do: :gen_server.cast(server, request)

  @doc "Cast `request` to the server registered as `name` (on this node)."
  @spec abcast([node()], atom(), term()) :: :abcast
  def abcast(_nodes \\ [node()], name, request) when is_atom(name) do
    :gen_server.cast(name, request)
    :abcast
  end

  @doc "Answer the call from `client` (for a `handle_call/3` that returned `:noreply`)."
  @spec reply(from(), term()) :: :ok
  def reply(client, reply), do: :gen_server.reply(client, reply)

  @doc "Stop `server` with `reason`, waiting up to `timeout` for it to terminate."
  @spec stop(server(), term(), timeout()) :: :ok
  def stop(server, reason \\ :normal, timeout \\ :infinity),
    do: :gen_server.stop(server, reason, timeout)

  @doc "The pid behind `server` (a pid, a name, `{:via, mod, name}`), or nil."
  @spec whereis(server()) :: pid() | {atom(), node()} | nil
  def whereis(server) when is_pid(server), do: server
  def whereis(name) when is_atom(name), do: Process.whereis(name)

  def whereis({:via, module, name}) do
    case module.whereis_name(name) do
      pid when is_pid(pid) -> pid
      :undefined -> nil
    end
  end

  def whereis({name, node} = server) when is_atom(name) and is_atom(node) do
    if node == node(), do: Process.whereis(name), else: server
  end

  @doc false
  # The logger's text for the report `use GenServer`'s default handle_info/2 logs.
  def format_report(%{label: {GenServer, :no_handle_info}, report: %{module: module, message: msg, name: name}}) do
    {~c"~ts ~ts received unexpected message in handle_info/2: ~ts~n",
     [inspect(module), inspect(name), inspect(msg)]}
  end
end
