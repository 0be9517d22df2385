# Writes the man pages and the bash completion from the programs' own --help, so they never
# drift from the options (run by the build after linking; see packaging/CMakeLists.txt):
#   cmake -DCLI=... -DGUI=... -DHELP2MAN=... -DVERSION=... -DOUT=... -P docs.cmake
# OUT receives lyrebird.1.gz, lyrebird-cli.1.gz and the completion script lyrebird-cli.
cmake_minimum_required(VERSION 3.25)

function(run_help out_var)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE text ERROR_VARIABLE errors RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "'${ARGN}' failed (${status}): ${errors}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

function(gzip_reproducibly file)
  # -n: no name or time stamp, so the same page gives the same bytes (Debian policy 12.1)
  execute_process(COMMAND gzip -9nf "${file}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip ${file} failed")
  endif()
endfunction()

file(MAKE_DIRECTORY "${OUT}")
run_help(top "${CLI}" --help)

# The commands, as the top-level help lists them ("  info DIR ...", "  bench train ...").
string(REPLACE "\n" ";" lines "${top}")
set(commands "")
set(in_commands FALSE)
foreach(line IN LISTS lines)
  if(line MATCHES "^Commands:")
    set(in_commands TRUE)
  elseif(line MATCHES "^Options:")
    set(in_commands FALSE)
  elseif(in_commands AND line MATCHES "^  ([a-z]+)")
    list(APPEND commands "${CMAKE_MATCH_1}")
    if(line MATCHES "^  bench ([a-z]+)")
      list(APPEND commands "bench ${CMAKE_MATCH_1}")
    endif()
  endif()
endforeach()
list(REMOVE_DUPLICATES commands)

# One man page section per command, and the options each command takes.
set(include_text "[COMMANDS]\n")
set(cases "")
foreach(command IN LISTS commands)
  string(REPLACE " " ";" argv "${command}")
  run_help(help "${CLI}" ${argv} --help)
  string(REGEX REPLACE "Usage: [^ ]+ \\[options\\]" "Usage: lyrebird-cli ${command} [options]" help "${help}")
  string(REPLACE "\\" "\\e" roff "${help}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" roff "\n${roff}")
  string(APPEND include_text ".SS ${command}\n.nf${roff}\n.fi\n")
  if(command MATCHES " ") # bench's subcommands complete as bench
    continue()
  endif()
  string(REGEX MATCHALL "--[a-z][a-z0-9-]*( <[^>]+>)?" found "${help}")
  set(options "")
  set(dirs "")
  set(files "")
  set(values "")
  foreach(option IN LISTS found)
    if(option MATCHES "^(--[a-z0-9-]+) <([^>]+)>")
      set(name "${CMAKE_MATCH_1}")
      set(value "${CMAKE_MATCH_2}")
      list(APPEND options "${name}")
      # Options whose value is a file or folder complete paths; the others (numbers, names) nothing.
      if(value MATCHES "DIR")
        list(APPEND dirs "${name}")
      elseif(value MATCHES "^(MODEL|FILE|OUT|IN|CSV|SF)|\\.")
        list(APPEND files "${name}")
      else()
        list(APPEND values "${name}")
      endif()
    else()
      list(APPEND options "${option}")
    endif()
  endforeach()
  foreach(list_name options dirs files values)
    list(REMOVE_DUPLICATES ${list_name})
    list(JOIN ${list_name} " " ${list_name})
  endforeach()
  string(APPEND cases "    ${command})\n      options=\"${options}\"\n      dirs=\"${dirs}\" files=\"${files}\" values=\"${values}\" ;;\n")
endforeach()
file(WRITE "${OUT}/commands.h2m" "${include_text}")

run_help(cli_page "${HELP2MAN}" --no-info --no-discard-stderr --version-string=${VERSION}
         --name=learn\ music\ from\ MIDI\ files\ and\ write\ new\ music\ \(command\ line\)
         --include=${OUT}/commands.h2m --output=${OUT}/lyrebird-cli.1 "${CLI}")
run_help(gui_page env QT_QPA_PLATFORM=offscreen "${HELP2MAN}" --no-info --no-discard-stderr --version-string=${VERSION}
         --name=learn\ music\ from\ MIDI\ files\ and\ write\ new\ music --output=${OUT}/lyrebird.1 "${GUI}")
gzip_reproducibly("${OUT}/lyrebird-cli.1")
gzip_reproducibly("${OUT}/lyrebird.1")

# The completion: commands, each command's options, paths for the options that take them.
list(FILTER commands EXCLUDE REGEX " ")
list(JOIN commands " " command_words)
file(WRITE "${OUT}/lyrebird-cli" "# bash completion for lyrebird-cli; written by the build from its --help.
_lyrebird_cli() {
  local cur prev words cword
  _init_completion || return
  if ((cword == 1)); then
    COMPREPLY=($(compgen -W \"${command_words} --help --version\" -- \"$cur\"))
    return
  fi
  local options=\"\" dirs=\"\" files=\"\" values=\"\"
  case \"\${words[1]}\" in
${cases}  esac
  if [[ \" $dirs \" == *\" $prev \"* ]]; then
    _filedir -d
    return
  elif [[ \" $files \" == *\" $prev \"* ]]; then
    _filedir
    return
  elif [[ \" $values \" == *\" $prev \"* ]]; then
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))
  else
    _filedir
  fi
}
complete -F _lyrebird_cli lyrebird-cli
")
