# The layers, checked on every test run (cmake -DROOT=<source dir> -P check_layers.cmake).
# Linking enforces the rest: torch is PRIVATE to the modules that use it, so a file outside them
# that includes a torch-using header does not compile.
#  1. core/ is plain C++: no Qt header, nothing from ui/ or app/.
#  2. ui/ includes nothing from app/.
#  3. A module's internal headers are included only by the folders named beside them.
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  message(FATAL_ERROR "give -DROOT=<the source tree>")
endif()

# header;allowed folder;allowed folder...
set(internal_headers
  "train/trainingrun.h|core/train"
  "train/run.h|core/train"
  "train/batching.h|core/train|tests/train"
  "model/fusedlstm.h|core/model|tests/model"
  "distributed/processgroup.h|core/distributed|core/train"
  "generate/take.h|core/generate"
)

set(problems "")
file(GLOB_RECURSE sources RELATIVE ${ROOT} ${ROOT}/core/*.h ${ROOT}/core/*.cpp ${ROOT}/ui/*.h ${ROOT}/ui/*.cpp
     ${ROOT}/app/*.h ${ROOT}/app/*.cpp ${ROOT}/tests/*.h ${ROOT}/tests/*.cpp)
foreach(source IN LISTS sources)
  file(STRINGS ${ROOT}/${source} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"].*$" "\\1" included "${line}")
    if(source MATCHES "^core/")
      if(included MATCHES "^Q[A-Za-z]+$" OR included MATCHES "^Qt[A-Za-z]+/")
        string(APPEND problems "  ${source}: includes Qt (${included}); core/ is plain C++\n")
      endif()
      if(EXISTS ${ROOT}/ui/${included} OR EXISTS ${ROOT}/app/cli/${included} OR EXISTS ${ROOT}/ui/headlesscharts/${included})
        if(NOT EXISTS ${ROOT}/core/${included})
          string(APPEND problems "  ${source}: includes ${included} from ui/ or app/\n")
        endif()
      endif()
    endif()
    if(source MATCHES "^ui/" AND EXISTS ${ROOT}/app/cli/${included} AND NOT EXISTS ${ROOT}/ui/${included}
       AND NOT EXISTS ${ROOT}/core/${included})
      string(APPEND problems "  ${source}: includes ${included} from app/\n")
    endif()
    foreach(rule IN LISTS internal_headers)
      string(REPLACE "|" ";" parts "${rule}")
      list(POP_FRONT parts header)
      if(NOT included STREQUAL header)
        continue()
      endif()
      set(allowed FALSE)
      foreach(folder IN LISTS parts)
        if(source MATCHES "^${folder}/")
          set(allowed TRUE)
        endif()
      endforeach()
      if(NOT allowed)
        string(APPEND problems "  ${source}: includes ${header}, internal to ${parts}\n")
      endif()
    endforeach()
  endforeach()
endforeach()

list(LENGTH sources count)
if(problems)
  message(FATAL_ERROR "Layer rules broken:\n${problems}")
endif()
message(STATUS "${count} files keep to the layers.")
