defmodule Exceptions do
  defmodule BoomError do
    defexception [:code, message: "boom"]
  end

  defmodule TempError do
    defexception [:value]

    @impl true
    def message(e), do: "temperature out of range: #{e.value}"
  end

  def start do
    attempts = [
      fn -> raise "plain runtime error" end,
      fn -> raise ArgumentError end,
      fn -> raise ArgumentError, "bad things" end,
      fn -> raise ArgumentError, message: "with keyword" end,
      fn -> raise BoomError end,
      fn -> raise BoomError, code: 7, message: "custom boom" end,
      fn -> raise TempError, value: 99 end,
      fn -> :erlang.error(:badarg) end,
      fn -> 1 / zero() end,
      fn -> {:ok, _} = fetch(:missing) end,
      fn -> case fetch(:x) do {:ok, _} -> :ok end end,
      fn -> raise KeyError, key: :b, term: %{a: 1} end,
      fn -> :erlang.error({:badkey, :k}) end,
      fn -> only_ints("x") end,
      fn -> cond do zero() == 1 -> :never end end,
      fn -> with {:ok, v} <- fetch(:y), do: v, else: ({:error, :y} -> raise "no y") end,
      fn -> :erlang.error({:some, :erlang, :term}) end,
      fn -> :erlang.error(:system_limit) end,
      fn -> not_a_map().key end,
      fn -> zero().() end,
      fn -> :erlang.error({:badmap, 1}) end,
      fn -> :erlang.error({:badbool, :and, 1}) end,
      fn -> :erlang.error({:try_clause, 1}) end,
      fn -> :erlang.error({:with_clause, 1}) end,
      fn -> :erlang.error({:badarg, :payload}) end
    ]

    Enum.each(attempts, fn attempt ->
      try do
        attempt.()
      rescue
        e -> IO.puts("#{inspect(e.__struct__)}: #{Exception.message(e)}")
      end
    end)

    undefined_functions()
    rescue_by_type()
    catch_and_after()
    reraise_and_format()
    :ok
  end

  # AtomVM's stacktrace of an undef names the caller, not the missing function, so the
  # message is built here from the fields Elixir would find.
  defp undefined_functions do
    IO.puts(Exception.message(%UndefinedFunctionError{module: Exceptions, function: :nope, arity: 0}))
    IO.puts(Exception.message(%UndefinedFunctionError{module: NoSuchModule, function: :nope, arity: 1}))
    IO.puts(Exception.message(%UndefinedFunctionError{module: Enum, function: :nope, arity: 2, reason: "oops"}))
  end

  defp rescue_by_type do
    result =
      try do
        raise TempError, value: -40
      rescue
        e in [ArgumentError, RuntimeError] -> {:generic, e}
        e in TempError -> {:temp, e.value}
      end

    IO.inspect(result)

    message =
      try do
        String.to_atom(zero())
      rescue
        ArgumentError -> "argument error rescued without binding"
      end

    IO.puts(message)
  end

  defp catch_and_after do
    r =
      try do
        throw({:thrown, 1})
      catch
        :throw, value -> {:caught, value}
      after
        IO.puts("after runs")
      end

    IO.inspect(r)

    r =
      try do
        exit(:shutdown_now)
      catch
        :exit, reason -> {:exit_caught, reason}
      end

    IO.inspect(r)

    r =
      try do
        {:ok, 1}
      rescue
        _ -> :never
      else
        {:ok, n} -> n + 1
      end

    IO.inspect(r)
  end

  defp reraise_and_format do
    try do
      try do
        raise "inner"
      rescue
        e -> reraise e, __STACKTRACE__
      end
    rescue
      e in RuntimeError -> IO.puts("reraised: " <> e.message)
    end

    IO.puts(Exception.format_banner(:error, %KeyError{key: :a, term: %{b: 2}}))
    IO.puts(Exception.format_banner(:error, :badarith))
    IO.puts(Exception.format_banner(:throw, {:a, 1}))
    IO.puts(Exception.format_banner(:exit, {:noproc, {GenServer, :call, [:nobody, :hi, 5000]}}))
    IO.puts(Exception.format_exit({:shutdown, :x}))
    IO.puts(Exception.format_mfa(Exceptions, :start, 0))
    IO.puts(Exception.format_mfa(:lists, :map, [1, 2]))
    IO.puts(Exception.format_mfa(Exceptions, :"-start/0-fun-0-", 0))
    IO.inspect(Exception.exception?(%RuntimeError{}))
    IO.inspect(Exception.exception?(%{}))
    IO.inspect(%BoomError{code: 3})
    IO.inspect(Exception.normalize(:error, :badarg, []))
    IO.inspect(Exception.normalize(:throw, :badarg, []))
  end

  defp zero, do: 0
  defp not_a_map, do: 5
  defp fetch(key), do: {:error, key}
  defp only_ints(n) when is_integer(n), do: n
end
