# Read by project(waf) through CMAKE_PROJECT_waf_INCLUDE (see CMakeLists.txt here). The engine
# targets, the C++ standard and waf_warnings() do not exist yet at that point, so the benchmark is
# defined once the top-level CMakeLists.txt has been read.
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL include ${CMAKE_SOURCE_DIR}/bench/engine/CMakeLists.txt)
