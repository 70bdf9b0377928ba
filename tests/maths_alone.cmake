# The maths of common/ (common/nn/) and the synthetic data sets (datasets/synthetic.*) use
# Armadillo and the standard library only: every #include there names a header of common/nn/ or
# datasets/ in quotes, <armadillo>, or a standard header (a bare lower-case name such as <vector>;
# every other library's header has a '.' or a '/' in its name). Prints each offending line and
# fails. Usage: cmake -DROOT=<checkout> [-DCHAPTERS=02_a;03_b] -P maths_alone.cmake
# The playground's engine compiles the same way, with the lessons of the chapters CHAPTERS
# (a list) and their playground.cpp, and common/web/model: those are held alike (their own
# lesson.hpp and common/web/model.hpp are allowed them too).
file(GLOB sources ${ROOT}/common/nn/*.[ch]pp ${ROOT}/datasets/*.[ch]pp ${ROOT}/common/web/model.[ch]pp)
foreach(chapter ${CHAPTERS})
  list(APPEND sources ${ROOT}/chapters/${chapter}/lesson.hpp ${ROOT}/chapters/${chapter}/lesson.cpp
       ${ROOT}/chapters/${chapter}/playground.cpp)
endforeach()
if(NOT sources)
  message(FATAL_ERROR "maths_alone: no sources under ${ROOT}/common/nn")
endif()
set(offences 0)
foreach(source ${sources})
  file(STRINGS ${source} includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line ${includes})
    if(line MATCHES "#[ \t]*include[ \t]*\"(common/nn|datasets)/[a-z_]+\\.hpp\""
       OR line MATCHES "#[ \t]*include[ \t]*<(armadillo|[a-z_]+)>"
       OR line MATCHES "#[ \t]*include[ \t]*\"(lesson|common/web/model)\\.hpp\"")
      continue()
    endif()
    file(RELATIVE_PATH name ${ROOT} ${source})
    message("${name}: ${line}: not the maths' own header, <armadillo> or a standard one")
    math(EXPR offences "${offences} + 1")
  endforeach()
endforeach()
if(offences GREATER 0)
  message(FATAL_ERROR "maths_alone: ${offences} include(s) reach outside Armadillo and the "
                      "standard library")
endif()
list(LENGTH sources count)
message("maths_alone: ${count} files include only Armadillo, the standard library and each other")
