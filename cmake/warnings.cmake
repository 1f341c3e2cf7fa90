# Warnings for our own targets only; third-party code is compiled as SYSTEM and without them.
function(waf_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    # GCC 12 at -O3 reports impossible std::string memcpy overlaps (GCC bug 105329 and friends).
    $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
    $<$<BOOL:${WAF_WERROR}>:-Werror>)
endfunction()
