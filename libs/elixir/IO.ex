defmodule IO do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Writing text and terms to an io device (the console on a board). Devices are `:stdio`,
  `:stderr` (both go to the console on AtomVM), a registered name or a pid. As on AtomVM
  there is no input: the board's console is output only.
  """

  @typedoc "A device as Elixir names it."
  @type device :: atom() | pid()

  @doc "Write `item` and a newline to `device`."
  @spec puts(device(), term()) :: :ok
  def puts(device \\ :stdio, item), do: :io.put_chars(erl_device(device), [chardata(item), ?\n])

  @doc "Write `item` (no newline) to `device`."
  @spec write(device(), term()) :: :ok
  def write(device \\ :stdio, item), do: :io.put_chars(erl_device(device), chardata(item))

  @doc "Write the bytes of `iodata` to `device`."
  @spec binwrite(device(), iodata()) :: :ok
  def binwrite(device \\ :stdio, iodata), do: :io.put_chars(erl_device(device), iodata)

  @doc """
  Write `inspect(item, opts)` and a newline to `device`; return `item` unchanged (so it can
  sit in a pipeline). `label: text` prefixes the output with `text: `.
  """
  @spec inspect(term(), keyword()) :: term()
  def inspect(item, opts \\ []), do: inspect(:stdio, item, opts)

  @spec inspect(device(), term(), keyword()) :: term()
  def inspect(device, item, opts) when is_list(opts) do
    label =
      case :lists.keyfind(:label, 1, opts) do
        {:label, text} -> [chardata(text), ": "]
        false -> []
      end

    text = Kernel.inspect(item, opts ++ [pretty: true])
    :io.put_chars(erl_device(device), [label, text, ?\n])
    item
  end

  @doc "Write `warning: message` to standard error (the console on the device)."
  @spec warn(IO.chardata() | String.Chars.t(), term()) :: :ok
  def warn(message, _stacktrace_or_env \\ []),
    do: :io.put_chars(:standard_error, ["warning: ", chardata(message), ?\n])

  @doc "The binary of `iodata` (bytes, binaries and nested lists of them)."
  @spec iodata_to_binary(iodata()) :: binary()
  def iodata_to_binary(iodata), do: :erlang.iolist_to_binary(iodata)

  @doc "The byte size `iodata_to_binary/1` would give."
  @spec iodata_length(iodata()) :: non_neg_integer()
  def iodata_length(iodata), do: :erlang.iolist_size(iodata)

  @doc "The UTF-8 string of `chardata` (code points, strings and nested lists of them)."
  @spec chardata_to_string(IO.chardata()) :: String.t()
  def chardata_to_string(string) when is_binary(string), do: string

  def chardata_to_string(list) when is_list(list) do
    case :unicode.characters_to_binary(list) do
      string when is_binary(string) -> string
      _ -> raise ArgumentError, "cannot convert the given list to a string: #{Kernel.inspect(list)}"
    end
  end

  @typedoc "Code points and UTF-8 strings, possibly nested in lists."
  @type chardata :: String.t() | maybe_improper_list(char() | chardata(), String.t() | [])

  defp chardata(item) when is_binary(item) or is_list(item), do: item
  defp chardata(item), do: String.Chars.to_string(item)

  @devices %{stdio: :standard_io, stderr: :standard_error}
  defp erl_device(device), do: :maps.get(device, @devices, device)
end
