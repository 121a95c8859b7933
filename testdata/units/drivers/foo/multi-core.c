#include "multi.h"
#include "shared.h"
int multi_core;
