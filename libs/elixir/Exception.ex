defmodule Exception do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Working with exceptions: their message, turning Erlang errors into Elixir exceptions
  (`normalize/3`, what `rescue` does), and the text Elixir prints for an error, a throw or
  an exit (`format/3`, `format_banner/3`, `format_exit/1`, stacktrace entries). Stacktrace
  entries have no `(app vsn)` prefix: the device has no applications to name.
  """

  @type t :: %{required(:__struct__) => module(), required(:__exception__) => true, atom() => any()}
  @type kind :: :error | :exit | :throw | {:EXIT, pid()}
  @type stacktrace :: [stacktrace_entry()]
  @type stacktrace_entry ::
          {module(), atom(), arity() | [term()], keyword()} | {fun(), arity() | [term()], keyword()}

  @doc "Whether `term` is an exception struct."
  @spec exception?(term()) :: boolean()
  def exception?(%{__struct__: struct, __exception__: true}) when is_atom(struct), do: true
  def exception?(_term), do: false

  @doc "The message of `exception` (its module's `message/1`)."
  @spec message(t()) :: String.t()
  def message(%module{__exception__: true} = exception) do
    try do
      module.message(exception)
    rescue
      caught ->
        "got #{inspect(caught.__struct__)} with message #{inspect(message(caught))} " <>
          "while retrieving Exception.message/1 for #{inspect(exception)}"
    else
      text when is_binary(text) -> text
      other -> "got #{inspect(other)} while retrieving Exception.message/1 for #{inspect(exception)} (expected a string)"
    end
  end

  @doc "The Elixir exception an Erlang `:error` reason stands for; other kinds unchanged."
  @spec normalize(kind(), term(), stacktrace()) :: term()
  def normalize(kind, payload, stacktrace \\ [])
  def normalize(:error, %{__exception__: true} = exception, _stacktrace), do: exception
  def normalize(:error, reason, stacktrace), do: ErlangError.normalize(reason, stacktrace)
  def normalize(_kind, payload, _stacktrace), do: payload

  @doc "`exception` and `stacktrace`, for exceptions that improve their message from them."
  @spec blame(kind(), term(), stacktrace()) :: {term(), stacktrace()}
  def blame(:error, exception, stacktrace) do
    exception = normalize(:error, exception, stacktrace)

    case function_exported?(exception.__struct__, :blame, 2) do
      true -> exception.__struct__.blame(exception, stacktrace)
      false -> {exception, stacktrace}
    end
  end

  def blame(_kind, reason, stacktrace), do: {reason, stacktrace}

  @doc "The first line Elixir prints for an error, throw or exit: `** (RuntimeError) oops`."
  @spec format_banner(kind(), term(), stacktrace()) :: String.t()
  def format_banner(kind, reason, stacktrace \\ [])

  def format_banner(:error, reason, stacktrace) do
    exception = normalize(:error, reason, stacktrace)
    "** (" <> inspect(exception.__struct__) <> ") " <> message(exception)
  end

  def format_banner(:throw, reason, _stacktrace), do: "** (throw) " <> inspect(reason)
  def format_banner(:exit, reason, _stacktrace), do: "** (exit) " <> format_exit(reason, "\n    ")

  def format_banner({:EXIT, pid}, reason, _stacktrace),
    do: "** (EXIT from #{inspect(pid)}) " <> format_exit(reason, "\n    ")

  @doc "The banner and the stacktrace, as Elixir prints an uncaught error."
  @spec format(kind(), term(), stacktrace()) :: String.t()
  def format(kind, payload, stacktrace \\ [])
  def format({:EXIT, _} = kind, reason, _stacktrace), do: format_banner(kind, reason)

  def format(kind, payload, stacktrace) do
    case stacktrace do
      [] -> format_banner(kind, payload, stacktrace)
      _ -> format_banner(kind, payload, stacktrace) <> "\n" <> format_stacktrace(stacktrace)
    end
  end

  @doc "The text of an exit reason, as in `** (exit) ...`."
  @spec format_exit(term()) :: String.t()
  def format_exit(reason), do: format_exit(reason, "\n    ")

  defp format_exit({exception, [entry | _] = stacktrace}, joiner) when is_tuple(entry) do
    case exit_exception(exception, stacktrace) do
      nil -> exit_reason({exception, stacktrace})
      banner -> "an exception was raised:" <> joiner <> indent(banner, stacktrace, joiner)
    end
  end

  defp format_exit({reason, {module, function, args}}, joiner)
       when is_atom(module) and is_atom(function) and is_list(args) do
    "exited in: " <> format_mfa(module, function, args) <> joiner <> "** (EXIT) " <>
      format_exit(reason, joiner <> "    ")
  end

  defp format_exit(reason, _joiner), do: exit_reason(reason)

  defp exit_exception(%{__exception__: true} = exception, stacktrace),
    do: format_banner(:error, exception, stacktrace)

  defp exit_exception(reason, stacktrace) when is_atom(reason) or is_tuple(reason) do
    case normalize(:error, reason, stacktrace) do
      %ErlangError{} -> nil
      exception -> format_banner(:error, exception, stacktrace)
    end
  end

  defp exit_exception(_reason, _stacktrace), do: nil

  defp indent(banner, stacktrace, joiner) do
    entries = for entry <- stacktrace, do: joiner <> "    " <> format_stacktrace_entry(entry)
    :erlang.iolist_to_binary([banner | entries])
  end

  @exit_texts %{
    normal: "normal",
    shutdown: "shutdown",
    calling_self: "process attempted to call itself",
    timeout: "time out",
    killed: "killed",
    noconnection: "no connection",
    noproc:
      "no process: the process is not alive or there's no process currently associated " <>
        "with the given name, possibly because its application isn't started"
  }

  @exit_prefixes %{
    shutdown: "shutdown: ",
    nodedown: "no connection to ",
    already_started: "already started: ",
    bad_return_value: "bad return value: ",
    bad_call: "bad call: ",
    bad_cast: "bad cast: ",
    bad_start_spec: "bad child specification, invalid children: ",
    start_spec: "bad child specification, got: ",
    supervisor_data: "bad supervisor configuration, got: "
  }

  defp exit_reason({:bad_return, {module, :init, value}}) when is_atom(module),
    do: "#{format_mfa(module, :init, 1)} returned a bad value: #{inspect(value)}"

  defp exit_reason({:nodedown, node}) when is_atom(node), do: "no connection to #{node}"

  defp exit_reason({tag, value} = reason) when is_atom(tag) do
    case :maps.find(tag, @exit_prefixes) do
      {:ok, prefix} -> prefix <> inspect(value)
      :error -> inspect(reason)
    end
  end

  defp exit_reason(reason) when is_atom(reason), do: :maps.get(reason, @exit_texts, inspect(reason))
  defp exit_reason(reason), do: inspect(reason)

  @doc "One line per stacktrace entry, each indented four spaces."
  @spec format_stacktrace(stacktrace() | nil) :: String.t()
  def format_stacktrace(trace \\ nil)

  def format_stacktrace(nil) do
    {:current_stacktrace, [_ | trace]} = :erlang.process_info(self(), :current_stacktrace)
    format_stacktrace(trace)
  end

  def format_stacktrace(trace) do
    :erlang.iolist_to_binary(for entry <- trace, do: ["    ", format_stacktrace_entry(entry), ?\n])
  end

  @doc "A stacktrace entry: `file:line: Module.fun/arity`."
  @spec format_stacktrace_entry(stacktrace_entry()) :: String.t()
  def format_stacktrace_entry({module, function, arity, location}),
    do: format_location(location) <> format_mfa(module, function, arity)

  def format_stacktrace_entry({fun, arity, location}),
    do: format_location(location) <> format_fa(fun, arity)

  defp format_location(location) when is_list(location) do
    file = with {:file, file} <- :lists.keyfind(:file, 1, location), do: file, else: (_ -> nil)
    line = with {:line, line} <- :lists.keyfind(:line, 1, location), do: line, else: (_ -> nil)
    format_file_line(file && :erlang.iolist_to_binary(file), line, " ")
  end

  @doc "`file:line:` followed by `suffix`; empty without a file."
  @spec format_file_line(String.t() | nil, non_neg_integer() | nil, String.t()) :: String.t()
  def format_file_line(file, line, suffix \\ "")
  def format_file_line(nil, _line, _suffix), do: ""
  def format_file_line(file, line, suffix) when line in [nil, 0], do: "#{file}:#{suffix}"
  def format_file_line(file, line, suffix), do: "#{file}:#{line}:#{suffix}"

  @doc "`fun/arity` or `fun(args)` for an anonymous function."
  @spec format_fa(fun(), arity() | [term()]) :: String.t()
  def format_fa(fun, arity) when is_function(fun), do: "#{inspect(fun)}#{format_arity(arity)}"

  @doc """
  `Module.fun/arity` (or `Module.fun(args)`), as Elixir writes calls: Erlang modules as
  `:lists`, quoted names where needed, funs as `anonymous fn/1 in Module.fun/2`.
  """
  @spec format_mfa(module(), atom(), arity() | [term()]) :: String.t()
  def format_mfa(module, function, arity) when is_atom(module) and is_atom(function) do
    case fun_parent(:erlang.atom_to_binary(function)) do
      {parent, parent_arity} ->
        "anonymous fn#{format_arity(arity)} in #{inspect(module)}.#{parent}/#{parent_arity}"

      nil ->
        "#{inspect(module)}.#{function_name(function)}#{format_arity(arity)}"
    end
  end

  # "-start/0-fun-3-" (a fun defined in start/0) -> {"start", "0"}
  defp fun_parent("-" <> rest) do
    with [outer, _] <- :binary.split(rest, "-fun-"),
         [_ | _] = parts <- :binary.split(outer, "/", [:global]),
         {name_parts, [arity]} = :lists.split(length(parts) - 1, parts),
         true <- name_parts != [] do
      {function_name(:erlang.binary_to_atom(:lists.join("/", name_parts) |> :erlang.iolist_to_binary())), arity}
    else
      _ -> nil
    end
  end

  defp fun_parent(_name), do: nil

  defp function_name(function) do
    case inspect(function) do
      ":" <> name -> name
      name -> name
    end
  end

  defp format_arity(args) when is_list(args),
    do: "(" <> :erlang.iolist_to_binary(:lists.join(", ", :lists.map(&inspect/1, args))) <> ")"

  defp format_arity(arity) when is_integer(arity), do: "/" <> :erlang.integer_to_binary(arity)
end
