# native.json for the browser test: what the native chapter 2 program prints at its defaults
# (tests/expected/ch02_shallow_tanh.json, which test_ch02_shallow_tanh holds the program to):
# the cost at iterations 0 and 1000, and the accuracy of one hidden unit after the study's
# iterations. Usage: cmake -DEXPECTED=…/ch02_shallow_tanh.json -DOUT=…/native.json -P native.cmake
file(READ ${EXPECTED} expected)
string(JSON cost_0 GET "${expected}" costs 0)
string(JSON cost_1000 GET "${expected}" costs 1)
string(JSON study_iterations GET "${expected}" study_iterations)
string(JSON sizes LENGTH "${expected}" hidden_size_study)
math(EXPR last "${sizes} - 1")
foreach(k RANGE ${last})
  string(JSON units GET "${expected}" hidden_size_study ${k} hidden_units)
  if(units EQUAL 1)
    string(JSON one_unit GET "${expected}" hidden_size_study ${k} accuracy)
  endif()
endforeach()
if(NOT DEFINED one_unit)
  message(FATAL_ERROR "native.cmake: ${EXPECTED} has no study network with one hidden unit")
endif()
# the costs agree on every processor to 1e-16 (tests/expected/spread): 1e-9 is the engine's
# room; one unit's accuracy is a count of points, ±2 points for the iteration the page stops at
file(WRITE ${OUT} "{\"costs\": {\"0\": ${cost_0}, \"1000\": ${cost_1000}}, \"tolerance\": 1e-9,\n"
  " \"one_unit\": {\"iterations\": ${study_iterations}, \"accuracy\": ${one_unit}, "
  "\"tolerance\": 2}}\n")
