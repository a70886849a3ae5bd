#pragma once
// The one way this engine includes SystemC: sc_spawn (dynamic processes) is only declared
// when SC_INCLUDE_DYNAMIC_PROCESSES is defined before the first include of <systemc>.
#ifndef SC_INCLUDE_DYNAMIC_PROCESSES
#define SC_INCLUDE_DYNAMIC_PROCESSES
#endif
#include <systemc>
