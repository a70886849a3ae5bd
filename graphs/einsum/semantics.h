#pragma once
// Cross-statement checks of a parsed cascade; fills Cascade::tensors with shapes.
// Every error names file:line:column of the offending token and says how to fix it:
// undefined tensor, inconsistent rank sizes, left index the right cannot produce,
// out-of-range index, element defined twice or never, cyclic definition.
#include "graphs/einsum/ast.h"

namespace streamsim {
namespace einsum {

void check_cascade(Cascade& c);

}  // namespace einsum
}  // namespace streamsim
