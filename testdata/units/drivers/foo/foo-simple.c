#include "foo-simple.h"
#include "shared.h"
#include "inc.c"
int foo_simple;
