defmodule Inspect do
  @moduledoc """
  The text `Kernel.inspect/2` and `IO.inspect/2` print, as Elixir 1.14 prints
  it: the same literals, escapes and atom quoting, the same `limit` cut-off
  (`...`), and with `pretty: true` the same line breaking at `width` (80):
  lists and tuples of plain items fill lines, other containers put one item
  per line. The line breaking is a small version of Elixir's document algebra
  (strings, nested breaks, groups).

  Unlike Elixir this is a module, not a protocol: structs print field by field
  (ranges and MapSets as Elixir shows them); a user's `defimpl Inspect` is not
  consulted.
  """
  @compile {:autoload, false}

  # Atoms Elixir prints without quotes although they are not identifiers.
  @operators [:+, :-, :*, :/, :++, :--, :.., :<>, :==, :!=, :===, :!==, :<, :>, :<=, :>=, :&&, :||,
              :|, :&&&, :|||, :<<<, :>>>, :|>, :<<~, :~>>, :<~, :~>, :<~>, :=~, :!, :@, :&, :^, :->,
              :\\, :+++, :---, :<-, :=, :"..//", :%, :"{}", :"%{}", :"<<>>", :., :...]

  @escapes %{?\n => "\\n", ?\r => "\\r", ?\t => "\\t", ?\v => "\\v", ?\b => "\\b", ?\f => "\\f",
             ?\e => "\\e", ?\d => "\\d", ?\a => "\\a", 0 => "\\0"}

  @doc "The text of `term`; options `limit`, `pretty`, `width`, `charlists`, `binaries`, `structs`."
  def inspect(term, opts \\ []) when is_list(opts) do
    width = if Keyword.get(opts, :pretty, false), do: Keyword.get(opts, :width, 80), else: :infinity

    settings = %{
      limit: Keyword.get(opts, :limit, 50),
      charlists: Keyword.get(opts, :charlists, :infer),
      binaries: Keyword.get(opts, :binaries, :infer),
      structs: Keyword.get(opts, :structs, true)
    }

    :erlang.iolist_to_binary(format(width, 0, [{0, :break, {:group, to_doc(term, settings)}}]))
  end

  # ---- terms to documents ---------------------------------------------------

  defp to_doc(atom, _opts) when is_atom(atom), do: atom_literal(atom)
  defp to_doc(integer, _opts) when is_integer(integer), do: :erlang.integer_to_binary(integer)
  defp to_doc(float, _opts) when is_float(float), do: float_text(float)
  defp to_doc(binary, opts) when is_binary(binary), do: binary_doc(binary, opts)
  defp to_doc(bitstring, opts) when is_bitstring(bitstring), do: bytes_doc(bitstring, opts)
  defp to_doc(list, opts) when is_list(list), do: list_doc(list, opts)
  defp to_doc(tuple, opts) when is_tuple(tuple), do: container("{", :erlang.tuple_to_list(tuple), "}", opts, &to_doc/2, :flex)
  defp to_doc(%{__struct__: module} = struct, %{structs: true} = opts) when is_atom(module), do: struct_doc(module, struct, opts)
  defp to_doc(map, opts) when is_map(map), do: map_doc("", :maps.to_list(map), opts)
  defp to_doc(pid, _opts) when is_pid(pid), do: "#PID" <> :erlang.list_to_binary(:erlang.pid_to_list(pid))
  defp to_doc(port, _opts) when is_port(port), do: "#Port" <> after_prefix(:erlang.port_to_list(port), ~c"#Port")
  defp to_doc(ref, _opts) when is_reference(ref), do: "#Reference" <> after_prefix(:erlang.ref_to_list(ref), ~c"#Ref")
  defp to_doc(fun, _opts) when is_function(fun), do: fun_doc(fun)

  # Whole floats from 1 up to 1.0e16 print as digits and ".0"; others in shortest form.
  defp float_text(float) when abs(float) >= 1.0 and abs(float) < 1.0e16 and trunc(float) == float,
    do: :erlang.integer_to_binary(trunc(float)) <> ".0"

  defp float_text(float), do: :erlang.float_to_binary(float, [:short])

  defp after_prefix(text, prefix), do: :erlang.list_to_binary(:lists.nthtail(length(prefix), text))

  defp fun_doc(fun) do
    {:module, module} = :erlang.fun_info(fun, :module)
    {:name, name} = :erlang.fun_info(fun, :name)
    {:arity, arity} = :erlang.fun_info(fun, :arity)
    arity = :erlang.integer_to_binary(arity)

    case :erlang.fun_info(fun, :type) do
      {:type, :external} ->
        "&" <> atom_literal(module) <> "." <> call_name(name) <> "/" <> arity

      {:type, :local} ->
        {:index, index} = :erlang.fun_info(fun, :index)
        {:uniq, uniq} = :erlang.fun_info(fun, :uniq)

        "#Function<" <> :erlang.integer_to_binary(index) <> "." <> :erlang.integer_to_binary(uniq) <>
          "/" <> arity <> " in " <> atom_literal(module) <> enclosing(:erlang.atom_to_binary(name, :utf8)) <> ">"
    end
  end

  # "-start/0-fun-0-" (a fun defined in start/0) -> ".start/0"
  defp enclosing("-" <> name), do: "." <> hd(:binary.split(name, "-"))
  defp enclosing(name), do: "." <> name

  defp call_name(name) do
    text = :erlang.atom_to_binary(name, :utf8)
    if identifier?(text), do: text, else: quoted(text)
  end

  # ---- atoms --------------------------------------------------------------------

  defp atom_literal(atom) when atom in [nil, true, false, Elixir], do: :erlang.atom_to_binary(atom, :utf8)
  defp atom_literal(atom) when atom in @operators, do: ":" <> :erlang.atom_to_binary(atom, :utf8)

  defp atom_literal(atom) do
    case :erlang.atom_to_binary(atom, :utf8) do
      "Elixir." <> alias = text -> if alias?(alias), do: alias, else: ":" <> quoted(text)
      text -> if identifier?(text), do: ":" <> text, else: ":" <> quoted(text)
    end
  end

  defp key_literal(atom) do
    text = :erlang.atom_to_binary(atom, :utf8)

    if identifier?(text) or atom in @operators,
      do: text <> ":",
      else: quoted(text) <> ":"
  end

  defp alias?(text), do: text != "" and Enum.all?(:binary.split(text, ".", [:global]), &alias_part?/1)

  defp alias_part?(<<first, rest::binary>>) when first in ?A..?Z, do: word?(rest)
  defp alias_part?(_part), do: false

  defp identifier?(<<first, _::binary>> = text) when first in ?a..?z or first in ?A..?Z or first == ?_ do
    case :binary.last(text) do
      mark when mark in [??, ?!] -> word?(:binary.part(text, 0, byte_size(text) - 1))
      _ -> word?(text)
    end
  end

  defp identifier?(_text), do: false

  defp word?(text), do: Enum.all?(:erlang.binary_to_list(text), &word_char?/1)

  defp word_char?(c), do: c in ?a..?z or c in ?A..?Z or c in ?0..?9 or c == ?_ or c == ?@

  defp quoted(text), do: "\"" <> escape(text, ?") <> "\""

  # ---- strings and charlists ----------------------------------------------------

  defp binary_doc(binary, %{binaries: :as_binaries} = opts), do: bytes_doc(binary, opts)

  defp binary_doc(binary, opts) do
    if opts.binaries == :as_strings or String.printable?(binary),
      do: quoted(binary),
      else: bytes_doc(binary, opts)
  end

  defp bytes_doc(bitstring, opts) do
    container("<<", bytes(bitstring), ">>", opts, &byte_doc/2, :flex)
  end

  defp byte_doc({:bits, value, size}, _opts),
    do: :erlang.integer_to_binary(value) <> "::size(" <> :erlang.integer_to_binary(size) <> ")"

  defp byte_doc(byte, _opts), do: :erlang.integer_to_binary(byte)

  defp bytes(<<byte, rest::bitstring>>), do: [byte | bytes(rest)]
  defp bytes(<<>>), do: []

  defp bytes(bits) do
    size = bit_size(bits)
    <<value::size(size)>> = bits
    [{:bits, value, size}]
  end

  defp escape(text, quote), do: :erlang.iolist_to_binary(escape_chars(text, quote))

  defp escape_chars(<<"\#{", rest::binary>>, quote), do: ["\\\#{" | escape_chars(rest, quote)]
  defp escape_chars(<<quote, rest::binary>>, quote), do: [?\\, quote | escape_chars(rest, quote)]
  defp escape_chars(<<?\\, rest::binary>>, quote), do: ["\\\\" | escape_chars(rest, quote)]
  defp escape_chars(<<c::utf8, rest::binary>>, quote), do: [escape_code(c) | escape_chars(rest, quote)]
  defp escape_chars(<<>>, _quote), do: []

  defp escape_code(c) do
    case @escapes do
      %{^c => text} -> text
      _ -> <<c::utf8>>
    end
  end

  defp list_doc([], _opts), do: "[]"

  defp list_doc(list, opts) do
    cond do
      charlist?(list, opts) -> "'" <> escape(List.to_string(list), ?') <> "'"
      keyword?(list) -> container("[", list, "]", opts, &keyword_pair/2, :maybe)
      true -> container("[", list, "]", opts, &to_doc/2, :maybe)
    end
  end

  defp charlist?(_list, %{charlists: :as_lists}), do: false
  defp charlist?(list, _opts), do: List.ascii_printable?(list)

  defp keyword?([{key, _value} | rest]) when is_atom(key) do
    case :erlang.atom_to_binary(key, :utf8) do
      "Elixir." <> _ -> false
      _ -> keyword?(rest)
    end
  end

  defp keyword?(rest), do: rest == []

  defp keyword_pair({key, value}, opts), do: {:cons, key_literal(key), {:cons, " ", to_doc(value, opts)}}

  # ---- maps and structs -----------------------------------------------------------

  defp map_doc(name, pairs, opts) do
    each = if keyword?(pairs), do: &keyword_pair/2, else: &arrow_pair/2
    container("%" <> name <> "{", pairs, "}", opts, each, :strict)
  end

  defp arrow_pair({key, value}, opts), do: {:cons, to_doc(key, opts), {:cons, " => ", to_doc(value, opts)}}

  defp struct_doc(Range, %{first: first, last: last, step: 1}, _opts), do: "#{first}..#{last}"
  defp struct_doc(Range, %{first: first, last: last, step: step}, _opts), do: "#{first}..#{last}//#{step}"

  defp struct_doc(MapSet, set, opts),
    do: {:cons, "MapSet.new(", {:cons, to_doc(MapSet.to_list(set), opts), ")"}}

  defp struct_doc(module, struct, opts) do
    case fields(module, struct) do
      {:ok, fields} ->
        pairs = for field <- fields, field != :__exception__, do: {field, :maps.get(field, struct)}
        map_doc(atom_literal(module), pairs, opts)

      :error ->
        map_doc("", :maps.to_list(struct), opts)
    end
  end

  # The struct's fields in the order defstruct gave them, when `struct` has exactly those keys.
  defp fields(module, struct) do
    try do
      module.__info__(:struct)
    catch
      _, _ -> :error
    else
      info when is_list(info) ->
        fields = for %{field: field} <- info, do: field
        if :lists.sort([:__struct__ | fields]) == :lists.sort(:maps.keys(struct)), do: {:ok, fields}, else: :error

      _ ->
        :error
    end
  end

  # ---- containers ------------------------------------------------------------------

  # Elixir's container_doc: plain items fill lines (flex breaks); once an item is itself
  # a container, or the caller asks (:strict), every item takes its own line when the
  # whole does not fit.
  defp container(left, [], right, _opts, _fun, _break), do: left <> right

  defp container(left, items, right, opts, fun, break) do
    {docs, simple} = each_item(items, opts.limit, opts, fun, [], break == :maybe)
    flex = simple or break == :flex
    body = join(docs, flex)

    if flex do
      {:group, {:cons, left, {:cons, {:nest, body, String.length(left)}, right}}}
    else
      open = {:nest, {:cons, left, {:cons, {:break, "", :strict}, body}}, 2}
      {:group, {:cons, open, {:cons, {:break, "", :strict}, right}}}
    end
  end

  defp each_item([], _limit, _opts, _fun, acc, simple), do: {:lists.reverse(acc), simple}
  defp each_item(_items, 0, _opts, _fun, acc, simple), do: {:lists.reverse(acc, ["..."]), simple}

  defp each_item([item | rest], limit, opts, fun, acc, simple) when is_list(rest) do
    limit = decrement(limit)
    doc = fun.(item, %{opts | limit: limit})
    each_item(rest, limit, opts, fun, [doc | acc], simple and simple?(doc))
  end

  defp each_item([item | tail], limit, opts, fun, acc, simple) do
    limit = decrement(limit)
    doc = fun.(item, %{opts | limit: limit})
    tail_doc = fun.(tail, %{opts | limit: limit})
    simple = simple and simple?(doc) and simple?(tail_doc)
    improper = {:cons, {:cons, doc, " |"}, {:cons, {:break, " ", break_kind(simple)}, tail_doc}}
    {:lists.reverse([improper | acc]), simple}
  end

  defp decrement(:infinity), do: :infinity
  defp decrement(limit), do: limit - 1

  defp break_kind(true), do: :flex
  defp break_kind(false), do: :strict

  # Only plain text is simple: a keyword pair or any container makes the layout strict.
  defp simple?(doc), do: is_binary(doc)

  defp join([doc], _flex), do: doc
  defp join([doc | rest], flex), do: {:cons, {:cons, doc, ","}, {:cons, {:break, " ", break_kind(flex)}, join(rest, flex)}}

  # ---- documents to text --------------------------------------------------------

  defp format(_width, _col, []), do: []
  defp format(width, col, [{_, _, text} | rest]) when is_binary(text), do: [text | format(width, col + String.length(text), rest)]
  defp format(width, col, [{i, m, {:cons, a, b}} | rest]), do: format(width, col, [{i, m, a}, {i, m, b} | rest])
  defp format(width, col, [{i, m, {:nest, doc, j}} | rest]), do: format(width, col, [{i + j, m, doc} | rest])
  defp format(width, col, [{_, :flat, {:break, text, _}} | rest]), do: [text | format(width, col + String.length(text), rest)]

  defp format(width, col, [{i, :break, {:break, text, :flex}} | rest]) do
    after_break = col + String.length(text)

    if fits?(width, after_break, rest),
      do: [text | format(width, after_break, rest)],
      else: [newline(i) | format(width, i, rest)]
  end

  defp format(width, _col, [{i, :break, {:break, _text, :strict}} | rest]), do: [newline(i) | format(width, i, rest)]
  defp format(width, col, [{i, :flat, {:group, doc}} | rest]), do: format(width, col, [{i, :flat, doc} | rest])

  defp format(width, col, [{i, :break, {:group, doc}} | rest]) do
    mode = if fits?(width, col, [{i, :flat, doc}]), do: :flat, else: :break
    format(width, col, [{i, mode, doc} | rest])
  end

  defp newline(indent), do: ["\n" | :lists.duplicate(indent, ?\s)]

  defp fits?(:infinity, _col, _entries), do: true
  defp fits?(width, col, _entries) when col > width, do: false
  defp fits?(_width, _col, []), do: true
  defp fits?(width, col, [{_, _, text} | rest]) when is_binary(text), do: fits?(width, col + String.length(text), rest)
  defp fits?(width, col, [{i, m, {:cons, a, b}} | rest]), do: fits?(width, col, [{i, m, a}, {i, m, b} | rest])
  defp fits?(width, col, [{i, m, {:nest, doc, j}} | rest]), do: fits?(width, col, [{i + j, m, doc} | rest])
  defp fits?(width, col, [{i, _, {:group, doc}} | rest]), do: fits?(width, col, [{i, :flat, doc} | rest])
  defp fits?(width, col, [{_, :flat, {:break, text, _}} | rest]), do: fits?(width, col + String.length(text), rest)
  defp fits?(_width, _col, [{_, :break, {:break, _, _}} | _rest]), do: true
end
