%% @doc The file functions AtomVM's estdlib has. file:get_cwd/0 is a native
%% (vm/nifs/file_nifs.py): only a platform with a file system answers it.
-module(file).

-export([native_name_encoding/0]).

%% File names are UTF-8 on every AtomVM platform.
-spec native_name_encoding() -> utf8.
native_name_encoding() -> utf8.
